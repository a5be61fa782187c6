// Short words for a call's outcome, for the history table and the log filter.
import type { CallRecord } from '../../../../src-main/contract/api-contract.ts';

export function callOutcomeShort(call: CallRecord): string {
  if (call.kind === 'result') {
    const lastError = call.lastError && call.lastError.code !== 0 ? `, GetLastError ${call.lastError.code}` : '';
    const outs = call.outs.length ? `, ${call.outs.length} out` : '';
    return `= ${JSON.stringify(call.value ?? null)}${outs}${lastError}`;
  }
  if (call.kind === 'error') return call.error!.code === 'TIMEOUT' ? 'timed out' : `${call.error!.code}: ${call.error!.name}`;
  return `crash: ${call.crash!.name}`;
}

/** "add_numbers(2, 40)": the function's name with the arguments it was given. */
export function callShort(call: CallRecord): string {
  const name = call.prototype.slice(0, call.prototype.indexOf('(')).trim().split(/\s+/).pop() ?? call.prototype;
  return `${name}(${call.args.map((a) => JSON.stringify(a)).join(', ')})`;
}
