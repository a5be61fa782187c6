// The call console's actions: backend requests and pushed log lines into the call store.
import { ApiError, type CallRecord, type LogLine } from '../../../src-main/contract/api-contract.ts';
import type { ClientApi } from '../api/client-api.ts';
import { buildArgs, valuesFromArgs } from '../ui/calls/argument-values.ts';
import { appStore } from './store.ts';
import { download, selectTab } from './actions.ts';
import { callStore, type CallDraft, EMPTY_DRAFT, LOG_LINES_KEPT } from './call-slice.ts';

export const CALL_TAB_ID = 'calls';

let api: ClientApi | null = null;
let checkSeq = 0;
let checkTimer: ReturnType<typeof setTimeout> | null = null;
let pendingLines: LogLine[] = [];
let pendingDropped = 0;
let applyScheduled = false;

function client(): ClientApi {
  if (!api) throw new ApiError('offline', 'not connected to Thunk yet');
  return api;
}

function message(error: unknown): string {
  return error instanceof ApiError || error instanceof Error ? error.message : String(error);
}

/** Pushed log lines are applied once per frame, however many batches arrive: a flood cannot freeze the page. */
export function connectCalls(c: ClientApi): void {
  api = c;
  c.on('call.logs', ({ lines, dropped }) => {
    pendingLines = pendingLines.concat(lines);
    pendingDropped += dropped;
    scheduleApply();
  });
}

/** At most ten updates a second: each one costs the virtualizer a pass over its 10,000 rows. */
const APPLY_EVERY_MS = 100;

function scheduleApply(): void {
  if (applyScheduled) return;
  applyScheduled = true;
  setTimeout(() => requestAnimationFrame(applyPendingLines), APPLY_EVERY_MS);
}

/** Lines applied per update: a burst is spread over updates instead of one long task. */
const LINES_PER_UPDATE = 2000;

function applyPendingLines(): void {
  applyScheduled = false;
  // Lines older than the kept window would be trimmed at once: skip them.
  if (pendingLines.length > LOG_LINES_KEPT) pendingLines = pendingLines.slice(pendingLines.length - LOG_LINES_KEPT);
  const incoming = pendingLines.slice(0, LINES_PER_UPDATE);
  pendingLines = pendingLines.slice(LINES_PER_UPDATE);
  const dropped = pendingDropped;
  pendingDropped = 0;
  callStore.setState((s) => {
    const merged = s.logs.concat(incoming);
    return { logs: merged.length > LOG_LINES_KEPT ? merged.slice(merged.length - LOG_LINES_KEPT) : merged, droppedLines: s.droppedLines + dropped };
  });
  if (pendingLines.length) scheduleApply();
}

export async function loadCallHistory(): Promise<void> {
  const history = await client().request('call.history', {});
  callStore.setState((s) => ({ calls: history.calls, logs: s.logs.length ? s.logs : history.logs.slice(-LOG_LINES_KEPT) }));
}

/**
 * Makes the draft the given DLL's: a draft for another DLL is put aside (its declarations were
 * saved as typed) and the DLL's own remembered declarations are brought in.
 */
export async function draftFor(dll: string): Promise<void> {
  if (callStore.getState().draft.dll === dll) return;
  // A check of the other DLL's prototype still on its way must not land in this draft.
  checkSeq++;
  if (checkTimer) clearTimeout(checkTimer);
  checkTimer = null;
  const saved = flushDeclarations();
  callStore.setState((s) => ({ draft: { ...EMPTY_DRAFT, dll, repeat: s.draft.repeat, timeoutMs: s.draft.timeoutMs }, check: null, prefillNote: null, prefillGuessed: false, fieldErrors: {}, notice: null }));
  await saved;
  try {
    const { declarations } = await client().request('call.declarationsOf', { dll });
    const { draft } = callStore.getState();
    if (draft.dll === dll && draft.declarations === '' && declarations) updateDraft({ declarations });
  } catch (error) {
    callStore.setState({ notice: message(error) });
  }
}

let declarationsSave: { dll: string; text: string; timer: ReturnType<typeof setTimeout> } | null = null;
const DECLARATIONS_SAVED_AFTER_MS = 400;

/** The declarations as typed, remembered for the draft's DLL once typing pauses (invalid ones too: nothing typed is lost). */
export function updateDeclarations(declarations: string): void {
  updateDraft({ declarations });
  const { dll } = callStore.getState().draft;
  takePendingDeclarations();
  if (!dll) return;
  declarationsSave = { dll, text: declarations, timer: setTimeout(() => void flushDeclarations(), DECLARATIONS_SAVED_AFTER_MS) };
}

/** The save waiting for typing to pause, taken out of the queue (not sent). */
function takePendingDeclarations(): typeof declarationsSave {
  const pending = declarationsSave;
  if (pending) clearTimeout(pending.timer);
  declarationsSave = null;
  return pending;
}

async function flushDeclarations(): Promise<void> {
  const pending = takePendingDeclarations();
  if (!pending) return;
  await client().request('call.declarations', { dll: pending.dll, declarations: pending.text }).catch((error: unknown) => callStore.setState({ notice: `The declarations were not remembered: ${message(error)}` }));
}

export function updateDraft(change: Partial<CallDraft>): void {
  callStore.setState((s) => ({ draft: { ...s.draft, ...change }, ...(change.values ? { fieldErrors: {} } : {}), ...(change.prototype !== undefined ? { prefillNote: null, notice: null } : {}) }));
  if (change.prototype !== undefined || change.declarations !== undefined) scheduleCheck();
}

function scheduleCheck(delayMs = 80): void {
  if (checkTimer) clearTimeout(checkTimer);
  checkTimer = setTimeout(() => { checkTimer = null; void checkDraft(); }, delayMs);
}

export async function checkDraft(): Promise<void> {
  const { prototype, declarations } = callStore.getState().draft;
  const seq = ++checkSeq;
  if (!prototype.trim()) {
    callStore.setState({ check: null });
    return;
  }
  try {
    const check = await client().request('call.check', { prototype, declarations });
    if (seq === checkSeq) callStore.setState((s) => ({ check, draft: { ...s.draft, exportName: exportNameFor(s.draft.exportName, check) } }));
  } catch (error) {
    if (seq === checkSeq) callStore.setState({ notice: message(error) });
  }
}

/** Whether the Export box already names the prototype's function: itself, its C decoration (_f@8, f@8, @f@8) or its C++ mangling. */
function namesFunction(exportName: string, name: string): boolean {
  if (exportName === name) return true;
  const undecorated = /^[_@]?([A-Za-z_$][\w$]*)@\d+$/.exec(exportName)?.[1];
  if (undecorated) return undecorated === name;
  return /^(\?|_Z)/.test(exportName) && exportName.includes(name.split('::').pop()!);
}

/** The Export box follows a prototype written for another function. */
function exportNameFor(current: string, check: { ok: boolean; name: string | null }): string {
  if (!check.ok || !check.name || namesFunction(current, check.name)) return current;
  return check.name;
}

/** A prototype from what the export's name tells, and the declarations remembered for the DLL. */
export async function prefillFor(dll: string, exportName: string): Promise<void> {
  if (!exportName.trim()) return;
  await draftFor(dll);
  await flushDeclarations();
  try {
    const prefill = await client().request('call.prefill', { dll, exportName });
    const { draft } = callStore.getState();
    callStore.setState({
      // The draft is this DLL's (draftFor): its declarations are the user's latest text, remembered or not yet.
      draft: { ...draft, exportName, prototype: prefill.prototype, declarations: draft.declarations || prefill.declarations, values: {} },
      prefillNote: prefill.note, prefillGuessed: prefill.guessed, fieldErrors: {}, notice: null,
    });
    await checkDraft();
  } catch (error) {
    callStore.setState({ notice: message(error) });
  }
}

/** For the exports table's row action: open the Call tab with that export's prototype prefilled. */
export function prepareCall(exportName: string): void {
  const { opened, selected } = appStore.getState();
  const file = opened?.document.results[selected]?.file;
  selectTab(CALL_TAB_ID);
  updateDraft({ exportName });
  if (file) void prefillFor(file, exportName);
}

/** A call is shown as running only after this long: a quick call's result replaces the form's state without a "Calling…" frame in between. */
const BUSY_SHOWN_AFTER_MS = 150;

let callInFlight = false;
const CALL_RUNNING_NOTICE = 'A call is still running: wait for its result before calling again.';

/** Checks every field, then calls once; a call is never retried, and a second one waits for the first. */
export async function invokeCall(dll: string): Promise<CallRecord | null> {
  if (callInFlight) {
    callStore.setState({ notice: CALL_RUNNING_NOTICE });
    return null;
  }
  callInFlight = true;
  try {
    return await checkAndCall(dll);
  } finally {
    callInFlight = false;
  }
}

async function checkAndCall(dll: string): Promise<CallRecord | null> {
  if (checkTimer) {
    clearTimeout(checkTimer);
    checkTimer = null;
    await checkDraft();
  }
  const { draft, check } = callStore.getState();
  if (!check?.ok) {
    callStore.setState({ notice: check?.problem ? `Fix the prototype first: ${check.problem.message}` : 'Write the function\'s prototype first.' });
    return null;
  }
  const built = buildArgs(check.params, draft.values);
  if (Object.keys(built.errors).length) {
    callStore.setState({ fieldErrors: built.errors, notice: `Nothing was called: ${Object.keys(built.errors).length} argument${Object.keys(built.errors).length === 1 ? '' : 's'} to fix.` });
    return null;
  }
  clearFormMessages();
  const showBusy = setTimeout(() => callStore.setState({ busy: true }), BUSY_SHOWN_AFTER_MS);
  try {
    const record = await client().request('call.invoke', { dll, prototype: draft.prototype, declarations: draft.declarations, args: built.args, repeat: draft.repeat, timeoutMs: draft.timeoutMs });
    callStore.setState((s) => ({ calls: [...s.calls, record], shownCallId: record.id, busy: false, notice: s.notice === CALL_RUNNING_NOTICE ? null : s.notice }));
    return record;
  } catch (error) {
    callStore.setState({ notice: message(error), busy: false });
    return null;
  } finally {
    clearTimeout(showBusy);
  }
}

/** Clears the last attempt's field errors and notice, without a render when there are none. */
function clearFormMessages(): void {
  const { fieldErrors, notice } = callStore.getState();
  if (notice !== null || Object.keys(fieldErrors).length) callStore.setState({ fieldErrors: {}, notice: null });
}

/** Puts a past call back in the form, to change it or run it again. */
export async function editCall(record: CallRecord): Promise<void> {
  await draftFor(record.dll);
  await flushDeclarations();
  callStore.setState((s) => ({ draft: { ...s.draft, prototype: record.prototype, declarations: record.declarations, repeat: record.repeat, timeoutMs: record.timeoutMs, values: {} }, prefillNote: null, shownCallId: record.id }));
  await checkDraft();
  const { check } = callStore.getState();
  if (check?.ok) callStore.setState((s) => ({ draft: { ...s.draft, values: valuesFromArgs(check.params, record.args) } }));
}

export async function rerunCall(record: CallRecord): Promise<void> {
  await editCall(record);
  await invokeCall(record.dll);
}

export function showCall(id: string): void {
  callStore.setState({ shownCallId: id });
}

export function filterLogs(callId: string | null): void {
  callStore.setState({ logFilter: callId });
}

export function clearLogView(): void {
  callStore.setState({ logs: [], droppedLines: 0 });
}

export async function resetBreaker(dll: string): Promise<void> {
  try {
    await client().request('call.resetBreaker', { dll });
    callStore.setState({ notice: 'The circuit breaker is reset: the next call goes through.' });
  } catch (error) {
    callStore.setState({ notice: message(error) });
  }
}

/** Saves the minidump a crashed call left (for WinDbg or Visual Studio), as a download. */
export async function saveMinidump(callId: string): Promise<void> {
  try {
    const dump = await client().request('call.minidump', { callId });
    download(dump.fileName, 'application/octet-stream', Uint8Array.from(atob(dump.base64), (c) => c.charCodeAt(0)));
    callStore.setState({ notice: `Minidump saved as ${dump.fileName} (${dump.bytes.toLocaleString('en')} bytes).` });
  } catch (error) {
    callStore.setState({ notice: `The minidump could not be saved: ${(error as Error).message}` });
  }
}

export async function saveSession(): Promise<void> {
  const saved = await client().request('session.save', {});
  download(saved.fileName, 'application/json', saved.content);
  callStore.setState({ notice: `Session saved as ${saved.fileName}.` });
}

export async function openSession(file: File): Promise<void> {
  try {
    // Text typed before opening is not saved over the declarations the file brings.
    takePendingDeclarations();
    const history = await client().request('session.load', { content: await file.text() });
    callStore.setState({ calls: history.calls, logs: history.logs.slice(-LOG_LINES_KEPT), shownCallId: history.calls.at(-1)?.id ?? null, notice: `Opened ${file.name}: ${history.calls.length} calls.` });
    const { dll } = callStore.getState().draft;
    if (dll) updateDraft({ declarations: (await client().request('call.declarationsOf', { dll })).declarations });
  } catch (error) {
    callStore.setState({ notice: message(error) });
  }
}
