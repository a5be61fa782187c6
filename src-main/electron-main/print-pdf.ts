import { BrowserWindow, dialog, type WebContents } from 'electron';
import { writeFileSync } from 'node:fs';

/**
 * Renders a self-contained HTML report to PDF with Chromium's printer (the report's print
 * stylesheet) in a hidden, script-less window, and saves it where the user says.
 */
export async function saveReportPdf(owner: WebContents, html: string, fileName: string): Promise<string | null> {
  const printer = new BrowserWindow({
    show: false,
    webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false, disableBlinkFeatures: 'Auxclick' },
  });
  try {
    await printer.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(html)}`);
    const pdf = await printer.webContents.printToPDF({ printBackground: true, pageSize: 'A4' });
    const parent = BrowserWindow.fromWebContents(owner);
    const target = await (parent ? dialog.showSaveDialog(parent, { defaultPath: fileName, filters: [{ name: 'PDF', extensions: ['pdf'] }] }) : dialog.showSaveDialog({ defaultPath: fileName }));
    if (target.canceled || !target.filePath) return null;
    writeFileSync(target.filePath, pdf);
    return target.filePath;
  } finally {
    printer.destroy();
  }
}
