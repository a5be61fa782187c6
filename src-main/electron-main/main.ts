// The Electron main process: one window, the session service behind the contract router, and the
// security checklist (context isolation, sandbox, no Node in the renderer, strict CSP, app://,
// no navigation or new windows, permissions denied, IPC senders checked).
import { app, BrowserWindow, Menu, session } from 'electron';
import { dirname, join } from 'node:path';
import { pathsFromArgv } from './argv-paths.ts';
import { fileURLToPath } from 'node:url';
import { parseArgs as parseRequestArgs } from '../contract/api-contract.ts';
import { Supervisor } from '../node-services/agent/supervisor.ts';
import { locateRuntime } from '../node-services/agent/runtime-locator.ts';
import { SessionService } from '../node-services/session/session-service.ts';
import { APP_INDEX } from './app-protocol-paths.ts';
import { registerAppScheme, serveAppProtocol } from './app-protocol.ts';
import { registerContractRouter } from './ipc-router.ts';
import { hardenContents, hardenSession } from './security.ts';
import { loadWindowState, rememberWindowState } from './window-state.ts';
import { buildAppMenu } from './app-menu.ts';
import { saveReportPdf } from './print-pdf.ts';

const here = dirname(fileURLToPath(import.meta.url));


function createService(): SessionService {
  const packaged = app.isPackaged;
  return new SessionService({
    host: 'electron',
    configDir: app.getPath('userData'),
    // Kept across sessions, beside the settings, so a saved crash card's minidump path stays true.
    minidumpDir: join(app.getPath('userData'), 'minidumps'),
    createSupervisor: (defaults) => new Supervisor({
      ...defaults,
      locate: (arch) => locateRuntime(arch, packaged ? { resourcesPath: process.resourcesPath, electronExecPath: process.execPath } : { electronExecPath: process.execPath }),
    }),
  });
}

function createWindow(): BrowserWindow {
  const state = loadWindowState(app.getPath('userData'));
  const window = new BrowserWindow({
    ...state.bounds,
    minWidth: 640,
    minHeight: 480,
    show: false,
    title: 'Thunk',
    backgroundColor: '#f6f7f9',
    webPreferences: {
      // Suppressed for electronegativity after review: preload.ts exposes one object built from the contract, passing no Node or Electron object through.
      preload: join(here, 'preload.cjs'), // eng-disable PRELOAD_JS_CHECK
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
    },
  });
  if (state.maximized) window.maximize();
  rememberWindowState(window, app.getPath('userData'));
  hardenContents(window.webContents);
  window.once('ready-to-show', () => window.show());
  return window;
}

function start(): void {
  registerAppScheme();
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.enableSandbox();
  let window: BrowserWindow | null = null;
  let pending: string[] = pathsFromArgv(process.argv, app.isPackaged);
  const service = createService();
  const router = registerContractRouter(service, {
    // The renderer subscribes to app.open before it says hello: files from argv wait for that.
    'session.hello': async (args) => {
      const hello = await service.dispatch('session.hello', args);
      setImmediate(() => { const paths = pending; pending = []; open(paths); });
      return hello;
    },
    'report.pdf': async (args, sender) => {
      const { id, redactUserPaths } = parseRequestArgs('report.pdf', args);
      const html = service.exportOpen(id, 'html', redactUserPaths);
      const fileName = html.fileName.replace(/\.html$/, '.pdf');
      return { fileName, savedTo: await saveReportPdf(sender, html.content, fileName) };
    },
  });
  const open = (paths: string[]): void => {
    if (!paths.length) return;
    if (!window || window.webContents.isLoading()) {
      pending = paths;
      return;
    }
    if (window.isMinimized()) window.restore();
    window.focus();
    router.push({ name: 'app.open', payload: { paths } });
  };
  const refreshMenu = async (): Promise<void> => {
    if (!window) return;
    const settings = await service.request('settings.get', {});
    Menu.setApplicationMenu(buildAppMenu(window, { open, recent: () => settings.recentFiles }));
  };
  service.on('event', (event) => { if (event.name === 'triage.progress' && event.payload.file === '') void refreshMenu(); });

  app.on('second-instance', (_event, argv, cwd) => open(pathsFromArgv(argv, app.isPackaged, cwd)));
  app.on('open-file', (event, path) => { event.preventDefault(); open([path]); });
  app.on('web-contents-created', (_event, contents) => hardenContents(contents));
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => { router.dispose(); void service.dispose(); });

  void app.whenReady().then(async () => {
    hardenSession(session.defaultSession);
    serveAppProtocol(join(here, 'renderer'));
    window = createWindow();
    router.trust(window.webContents);
    window.on('closed', () => { window = null; });
    await refreshMenu();
    await window.loadURL(APP_INDEX);
  });
}

start();
