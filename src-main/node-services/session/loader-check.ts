// "Ask the real loader" for one file of an open document: the real loader's verdict per host the
// file is built for, in the verdict's load context, kept in the document so exported reports hold it.
import { ApiError, type FileReport, type OpenDocument } from '../../contract/api-contract.ts';
import type { Supervisor } from '../agent/supervisor.ts';
import { checkWithRealLoader } from '../agent/real-loader-check.ts';

const DISAGREES = 'THK-REAL-LOADER-DISAGREES';

/** `supervisor`: made only once the file is known to be checkable. */
export async function checkOpenFile(opened: OpenDocument, file: string, supervisor: () => Supervisor): Promise<FileReport> {
  const results = opened.document.results;
  const index = results.findIndex((report) => report.file === file);
  if (index < 0) throw new ApiError('not-found', `${file} is not in this report: open it again, then ask the real loader`);
  const report = results[index]!;
  if (report.status !== 'analysed') throw new ApiError('refused', `${file} could not be analysed, so there is no verdict to compare: the real loader is asked about DLLs Thunk could read`);
  // Asked again: the earlier answer and its disagreement make way for the new ones.
  const fresh = { ...report, realLoader: undefined, findings: report.findings.filter((f) => f.code !== DISAGREES) };
  const [checked] = await checkWithRealLoader([fresh], supervisor());
  opened.document = { ...opened.document, results: results.map((r, i) => (i === index ? checked! : r)) };
  return checked!;
}
