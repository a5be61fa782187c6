// "Ask Windows" for one file of an open document: one agent started for the question and ended
// after it (about 1 s under Wine's 64-bit loader), so a session that never asks keeps none.
import { ApiError, type OpenDocument } from '../../contract/api-contract.ts';
import type { WindowsTrustView } from '../../contract/windows-trust-contract.ts';
import { UNDER_WINE_NOTE, WindowsTrustAsker, windowsVerdictLine } from '../agent/ask-windows.ts';

export async function askWindowsAbout(opened: OpenDocument, file: string): Promise<WindowsTrustView> {
  if (!opened.document.results.some((report) => report.file === file && report.status === 'analysed')) {
    throw new ApiError('not-found', `${file} is not an analysed file of this report: open it again, then ask Windows`);
  }
  let asker: WindowsTrustAsker;
  try {
    asker = await WindowsTrustAsker.start();
  } catch (error) {
    throw new ApiError('refused', (error as Error).message);
  }
  try {
    const answer = await asker.ask(file);
    const note = asker.underWine ? UNDER_WINE_NOTE : null;
    if (answer.kind === 'failed') return { answered: false, line: windowsVerdictLine(answer), embedded: null, catalog: null, catalogSearch: null, runtime: answer.runtime, note };
    const { embedded, catalog, catalogSearch } = answer.result;
    return { answered: true, line: windowsVerdictLine(answer), embedded, catalog, catalogSearch, runtime: answer.runtime, note };
  } finally {
    await asker.dispose();
  }
}
