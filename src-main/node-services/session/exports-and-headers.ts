// The exports browser's and the headers tab's requests: one file of an open document at a time,
// so the view document stays small (node.exe has 9,000+ exports).
import { ApiError, type OpenDocument } from '../../contract/api-contract.ts';
import type { ExportsResult, ForwarderTarget, HeadersResult } from '../../contract/exports-headers-contract.ts';
import type { FileReport } from '../../analysis/report/report-document.ts';
import type { HostArch } from '../../analysis/resolver/load-context.ts';
import type { ResolutionStrategy } from '../../analysis/resolver/dependency-node.ts';
import { createCaches, ModuleLocator } from '../../analysis/resolver/module-locator.ts';
import { forwarderModuleFile, parseForwarder, describeRef } from '../../analysis/resolver/export-check.ts';
import { HeadersReader } from './headers-reader.ts';

/** Parsed headers kept per open file: parsing node.exe with section entropy takes about a second. */
const HEADER_CACHE_LIMIT = 8;

const STRATEGY_WORDS: Record<ResolutionStrategy, string> = {
  root: 'the file itself', 'known-dll': 'a KnownDLL in the system folder', 'application-dir': 'the application folder',
  'dll-dir': "the DLL's own folder", 'system-dir': 'the system folder', 'windows-dir': 'the Windows folder', 'current-dir': 'the current folder',
  path: 'a PATH folder', 'extra-dir': 'an extra DLL folder', 'api-set': 'the API set schema', sxs: 'a side-by-side assembly',
  'not-found': 'not found', 'api-set-unresolved': 'an API set no schema resolves',
};

function reportOf(document: OpenDocument, file: string): FileReport {
  const report = document.document.results.find((r) => r.file === file);
  if (!report) throw new ApiError('not-found', `${file} is not part of this report: open it first`);
  if (report.status !== 'analysed') throw new ApiError('bad-request', `${file} was not analysed (${report.error ?? report.status}), so it has no exports or headers`);
  return report;
}

/** The host whose load context a forwarder is followed in: one the file is built for. */
function hostFor(report: FileReport): HostArch | null {
  const hosts = Object.keys(report.verdicts) as HostArch[];
  return hosts.find((h) => report.verdicts[h]?.builtForHost) ?? hosts[0] ?? null;
}

/** The exports and headers of the files of open documents, and where their forwarders lead. */
export class ExportsAndHeaders {
  private readonly caches = createCaches();
  private readonly headers = new Map<string, Promise<HeadersResult>>();
  private readonly reader = new HeadersReader();

  exports(document: OpenDocument, file: string): ExportsResult {
    const report = reportOf(document, file);
    return { file, rows: report.exports };
  }

  headersOf(document: OpenDocument, file: string): Promise<HeadersResult> {
    const report = reportOf(document, file);
    const key = `${document.id}\n${file}`;
    const cached = this.headers.get(key);
    if (cached) return cached;
    const reading = this.reader.read(file).then(
      (view): HeadersResult => ({ ...view, signature: report.signature ?? null }),
      (error: Error) => {
        this.headers.delete(key);
        throw new ApiError('not-found', `${error.message}. Open the file again if it was moved or replaced.`);
      },
    );
    this.headers.set(key, reading);
    if (this.headers.size > HEADER_CACHE_LIMIT) this.headers.delete(this.headers.keys().next().value!);
    return reading;
  }

  /** Where a forwarder's module is, in the load context the file was judged in, or why it cannot be found. */
  resolveForwarder(document: OpenDocument, file: string, forwarder: string): ForwarderTarget {
    const report = reportOf(document, file);
    const parsed = parseForwarder(forwarder);
    if (!parsed) throw new ApiError('bad-request', `"${forwarder}" is not a forwarder (expected module.Function or module.#ordinal)`);
    const module = forwarderModuleFile(parsed.module);
    const target = { forwarder, module, function: describeRef(parsed.ref) };
    const host = hostFor(report);
    const context = host ? report.verdicts[host]?.context : undefined;
    if (!host || !context) return { ...target, path: null, host, how: null, reason: 'the file has no load context to search in (it was not judged for any host)' };
    const located = new ModuleLocator(context, file, this.caches).locate(module, file);
    if (located.path) return { ...target, path: located.path, host, how: STRATEGY_WORDS[located.strategy], reason: null };
    return { ...target, path: null, host, how: null, reason: notFoundReason(located, module, host) };
  }
}

function notFoundReason(located: { unchecked: boolean; error: string | null; skipped: { path: string; reason: string }[] }, module: string, host: HostArch): string {
  if (located.unchecked) return `${module} is a Windows DLL and no Windows folder is set: set one in the load context to open it`;
  if (located.error) return `${module}: ${located.error}`;
  const skipped = located.skipped.map((s) => `${s.path} (${s.reason})`).join('; ');
  return skipped
    ? `no usable ${module} for a ${host} process: skipped ${skipped}`
    : `${module} is not in any folder the ${host} loader searches in this load context (add its folder as an extra folder in the load context)`;
}
