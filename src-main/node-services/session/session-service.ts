import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import {
  ApiError, CONTRACT_VERSION, parseArgs, isRequestName,
  type EventName, type EventPayload, type OpenDocument, type ReportFormat, type RequestArgs, type RequestName, type RequestResult,
} from '../../contract/api-contract.ts';
import { Supervisor, type SupervisorOptions } from '../agent/supervisor.ts';
import { crashSummary } from '../agent/outcome.ts';
import { checkWithRealLoader } from '../agent/real-loader-check.ts';
import { VERSION } from '../../analysis/report/tool-version.ts';
import { TriageCancelledError, TriageRunner } from './triage-runner.ts';
import { SettingsStore, defaultConfigDir } from './settings-store.ts';
import { exportReport, type ExportedReport } from './report-export.ts';
import { ExportsAndHeaders } from './exports-and-headers.ts';
import { DependencyRequests } from './dependency-requests.ts';
import { checkLoadContext } from './load-context-settings.ts';
import { withoutLists } from './view-copy.ts';
import { FolderSession } from './folder-session.ts';
import { AgentsBoard } from './agents-board.ts';
import { checkOpenFile } from './loader-check.ts';
import { askWindowsAbout } from './windows-trust.ts';
import { CallSession } from './call-session.ts';
import { checkPrototype } from './prototype-check.ts';

export type HostKind = 'browser' | 'electron' | 'in-process';

export interface SessionServiceOptions {
  host: HostKind;
  /** Folder of settings.json; null keeps settings in memory (tests). */
  configDir?: string | null;
  /** Made on first use (a real-loader check), so a session that never loads a DLL starts no agent. */
  createSupervisor?: (defaults: SupervisorOptions) => Supervisor;
  /** Where crashes' minidumps go; by default a folder of this session's own, removed with it. */
  minidumpDir?: string;
}

/** One pushed event, as the hosts forward it. */
export type ServiceEvent = { [N in EventName]: { name: N; payload: EventPayload<N> } }[EventName];

type Handlers = { [N in RequestName]: (args: RequestArgs<N>) => Promise<RequestResult<N>> };

/** Open documents kept per session; the oldest closes first. */
const OPEN_DOCUMENT_LIMIT = 20;

/**
 * The session behind every host: one Supervisor, the triage worker (with the resolver caches),
 * the settings and the open documents. Hosts call dispatch() with what arrived at their edge.
 */
export class SessionService extends EventEmitter<{ event: [ServiceEvent] }> {
  private readonly runner = new TriageRunner();
  private readonly settings: SettingsStore;
  private readonly documents = new Map<string, OpenDocument>();
  private readonly jobs = new Map<string, AbortController>();
  private supervisor: Supervisor | null = null;
  private readonly transientRoots: string[] = [];
  private readonly exportsAndHeaders = new ExportsAndHeaders();
  private readonly dependencies = new DependencyRequests();
  private readonly folders = new FolderSession({
    runner: this.runner, jobs: this.jobs, settings: () => this.settings, keep: (d) => this.keep(d), document: (id) => this.document(id),
    emit: (name, payload) => this.emitEvent(name, payload), agents: () => this.agents(), isTransient: (path) => this.isTransient(path),
  });
  private readonly agentsBoard = new AgentsBoard(() => this.agents(), () => this.supervisor);
  private readonly calls = new CallSession(() => this.agents(), (lines, dropped) => this.emitEvent('call.logs', { lines, dropped }));

  /** A folder of this session's own unless the host named one (made when a Windows agent starts). */
  private readonly minidumpDir: string;

  constructor(private readonly options: SessionServiceOptions) {
    super();
    this.minidumpDir = options.minidumpDir ?? join(tmpdir(), `thunk-minidumps-${randomUUID()}`);
    const dir = options.configDir === undefined ? defaultConfigDir() : options.configDir;
    this.settings = new SettingsStore(dir === null ? null : join(dir, 'settings.json'));
    if (options.host !== 'in-process') this.runner.warmUp();
  }

  /** Files under `dir` are uploaded copies: marked as such and kept out of the recent files. */
  addTransientRoot(dir: string): void {
    this.transientRoots.push(resolve(dir) + sep);
  }

  private isTransient(path: string): boolean {
    return this.transientRoots.some((root) => resolve(path).startsWith(root));
  }

  /** Validates a request from a host's edge and runs it; errors are ApiErrors in words. */
  async dispatch(name: string, args: unknown): Promise<unknown> {
    if (!isRequestName(name)) throw new ApiError('unknown-request', `unknown request "${name}"`);
    const handler = this.handlers[name] as (args: unknown) => Promise<unknown>;
    try {
      return await handler(parseArgs(name, args));
    } catch (error) {
      throw toApiError(error);
    }
  }

  /** The same as dispatch, typed, for in-process callers. */
  request<N extends RequestName>(name: N, args: RequestArgs<N>): Promise<RequestResult<N>> {
    return this.dispatch(name, args) as Promise<RequestResult<N>>;
  }

  async dispose(): Promise<void> {
    for (const job of this.jobs.values()) job.abort();
    await this.runner.dispose();
    this.calls.dispose();
    await this.supervisor?.dispose();
    if (!this.options.minidumpDir) await rm(this.minidumpDir, { recursive: true, force: true });
  }

  private readonly handlers: Handlers = {
    'session.hello': async () => ({ contractVersion: CONTRACT_VERSION, toolVersion: VERSION, host: this.options.host, platform: process.platform }),
    'triage.open': (args) => this.open(args),
    'triage.cancel': async ({ jobId }) => {
      const job = this.jobs.get(jobId);
      job?.abort();
      return { cancelled: job !== undefined };
    },
    'document.close': async ({ id }) => ({ closed: this.documents.delete(id) }),
    'report.export': async ({ id, format, redactUserPaths }) => this.exportOpen(id, format, redactUserPaths),
    'report.pdf': async () => {
      throw new ApiError('unsupported', 'PDF export needs the desktop app; in a browser, export HTML and print it to PDF.');
    },
    'settings.get': async () => this.settings.get(),
    'settings.update': async ({ triage }) => this.settings.updateTriage(checkLoadContext(this.settings.get().triage, triage)),
    'dependencies.view': async (args) => this.dependencies.view(this.document(args.id), args),
    'dependencies.functions': async (args) => this.dependencies.functions(this.document(args.id), args),
    'dependencies.whoExports': async (args) => this.dependencies.whoExports(this.document(args.id), args),
    'recent.clear': async () => this.settings.clearRecent(),
    'exports.list': async ({ id, file }) => this.exportsAndHeaders.exports(this.document(id), file),
    'exports.resolveForwarder': async ({ id, file, forwarder }) => this.exportsAndHeaders.resolveForwarder(this.document(id), file, forwarder),
    'headers.get': async ({ id, file }) => this.exportsAndHeaders.headersOf(this.document(id), file),
    'paths.kind': async ({ paths }) => this.folders.kind(paths),
    'folder.open': (args) => this.folders.open(args),
    'folder.file': (args) => this.folders.file(args),
    'folder.table': async (args) => this.folders.table(args),
    'compare.open': (args) => this.folders.compare(args),
    'agents.status': async () => this.agentsBoard.status(),
    'agents.restart': async ({ arch }) => this.agentsBoard.restart(arch),
    'loader.check': async ({ id, file }) => withoutLists(await checkOpenFile(this.document(id), file, () => this.agents())),
    'signature.askWindows': async ({ id, file }) => askWindowsAbout(this.document(id), file),
    'call.check': async ({ prototype, declarations }) => checkPrototype(prototype, declarations),
    'call.prefill': async ({ dll, exportName }) => this.calls.prefill(dll, exportName),
    'call.invoke': (args) => this.calls.invoke(args),
    'call.history': async () => this.calls.history(),
    'call.declarations': async ({ dll, declarations }) => (this.calls.saveDeclarations(dll, declarations), { saved: true }),
    'call.declarationsOf': async ({ dll }) => ({ declarations: this.calls.declarationsOf(dll) }),
    'call.resetBreaker': async ({ dll }) => ({ reset: this.calls.resetBreaker(dll) }),
    'call.minidump': ({ callId }) => this.calls.minidump(callId),
    'session.save': async () => ({ fileName: `thunk-session-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.json`, content: JSON.stringify(this.calls.snapshot(), null, 2) }),
    'session.load': async ({ content }) => this.calls.load(content),
  };

  private async open({ jobId, paths }: RequestArgs<'triage.open'>): Promise<OpenDocument> {
    if (this.jobs.has(jobId)) throw new ApiError('bad-request', `job "${jobId}" is already running`);
    const controller = new AbortController();
    this.jobs.set(jobId, controller);
    const started = performance.now();
    try {
      const { triage } = this.settings.get();
      const onProgress = (done: number, total: number, file: string): void => this.emitEvent('triage.progress', { jobId, done, total, file });
      const run = await this.runner.run({ jobId, paths, settings: triage, signal: controller.signal, onProgress });
      const document = triage.realLoader ? { ...run.document, results: await checkWithRealLoader(run.document.results, this.agents()) } : run.document;
      const identities = run.identities.map((identity) => ({ ...identity, uploaded: this.isTransient(identity.file) }));
      const opened: OpenDocument = { id: randomUUID(), inputs: paths, document, identities, durationMs: Math.round(performance.now() - started) };
      this.keep(opened);
      const lasting = paths.filter((path) => !this.isTransient(path));
      if (lasting.length) this.settings.addRecent(lasting);
      return { ...opened, document: { ...document, results: document.results.map(withoutLists) } };
    } finally {
      this.jobs.delete(jobId);
    }
  }

  /** A report of an open document, for the hosts that render it further (PDF). */
  exportOpen(id: string, format: ReportFormat, redactUserPaths: boolean): ExportedReport {
    return exportReport(this.document(id).document, format, redactUserPaths, this.calls.history());
  }

  private keep(document: OpenDocument): void {
    this.documents.set(document.id, document);
    if (this.documents.size > OPEN_DOCUMENT_LIMIT) this.documents.delete(this.documents.keys().next().value!);
  }

  private document(id: string): OpenDocument {
    const found = this.documents.get(id);
    if (!found) throw new ApiError('not-found', 'that report is no longer open: open the file again');
    return found;
  }

  private agents(): Supervisor {
    if (this.supervisor) return this.supervisor;
    const defaults: SupervisorOptions = { pingIntervalMs: 0, minidumpDir: this.minidumpDir };
    const supervisor = this.options.createSupervisor?.(defaults) ?? new Supervisor(defaults);
    this.agentsBoard.watch(supervisor);
    supervisor.on('start', (e) => this.emitEvent('agent.state', { arch: e.arch, state: 'started', detail: e.runtime }));
    supervisor.on('exit', (e) => this.emitEvent('agent.state', { arch: e.arch, state: 'exited', detail: `pid ${e.pid ?? '?'}` }));
    supervisor.on('restart', (e) => this.emitEvent('agent.state', { arch: e.arch, state: 'restarting', detail: `attempt ${e.attempt} in ${e.delayMs} ms` }));
    supervisor.on('log', (e) => this.emitEvent('agent.log', { arch: e.arch, stream: e.stream, text: e.text }));
    supervisor.on('crash', (e) => this.emitEvent('agent.crash', { arch: e.arch, dll: e.dll, summary: crashSummary(e.crash) }));
    supervisor.on('breaker', (e) => this.emitEvent('breaker.change', { dll: e.dll, state: String(e.state) }));
    return (this.supervisor = supervisor);
  }

  private emitEvent<N extends EventName>(name: N, payload: EventPayload<N>): void {
    this.emit('event', { name, payload } as ServiceEvent);
  }
}

function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof TriageCancelledError) return new ApiError('cancelled', 'Cancelled. Open the file again to start over.');
  return new ApiError('internal', `Thunk failed: ${(error as Error)?.message ?? String(error)}. Please report this with the file that caused it.`);
}
