import { Menu, dialog, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import type { RecentFile } from '../contract/api-contract.ts';

export interface MenuActions {
  open(paths: string[]): void;
  recent(): RecentFile[];
}

/** File > Open, Open Recent, Quit; Edit and View for copy and zoom. Rebuilt when recent files change. */
export function buildAppMenu(window: BrowserWindow, actions: MenuActions): Menu {
  const recent: MenuItemConstructorOptions[] = actions.recent().map((r) => ({ label: r.path, click: () => actions.open([r.path]) }));
  const template: MenuItemConstructorOptions[] = [
    {
      label: '&File',
      submenu: [
        {
          label: '&Open…', accelerator: 'CmdOrCtrl+O',
          click: async () => {
            const picked = await dialog.showOpenDialog(window, { properties: ['openFile', 'multiSelections'], filters: [{ name: 'Windows modules', extensions: ['dll', 'exe', 'sys', 'ocx', 'cpl', 'drv'] }, { name: 'All files', extensions: ['*'] }] });
            if (!picked.canceled && picked.filePaths.length) actions.open(picked.filePaths);
          },
        },
        {
          label: 'Open &Folder…',
          click: async () => {
            const picked = await dialog.showOpenDialog(window, { properties: ['openDirectory'] });
            if (!picked.canceled && picked.filePaths.length) actions.open(picked.filePaths);
          },
        },
        { label: 'Open &Recent', submenu: recent.length ? recent : [{ label: 'No recent files', enabled: false }] },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { label: '&View', submenu: [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }] },
  ];
  return Menu.buildFromTemplate(template);
}
