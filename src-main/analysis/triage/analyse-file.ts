import { statSync } from 'node:fs';
import type { HostArch, LoadMethod, SearchFlag } from '../resolver/load-context.ts';
import { diagnose } from '../diagnosis/diagnose.ts';
import type { ResolverCaches } from '../resolver/module-locator.ts';
import { FileAccessError, NotPeError } from '../pe/parse-pe.ts';
import { buildFileReport, failedFileReport } from '../report/build-file-report.ts';
import type { FileReport } from '../report/report-document.ts';

/** How to triage: which hosts and which load context (the CLI's flags, the UI's settings). */
export interface TriageOptions {
  hosts: HostArch[];
  applicationDir?: string;
  hostExecutable?: string;
  loadMethod?: LoadMethod;
  searchFlags?: SearchFlag[];
  searchDirs: string[];
  windowsDir?: string;
  /** The host process's current folder (searched after the Windows folder by plain LoadLibrary). */
  currentDir?: string;
  /** The host process's PATH folders (searched last). */
  pathDirs?: string[];
  /** Shared by the files of one run, so system DLLs are parsed once. */
  caches?: ResolverCaches;
}

function sizeOf(path: string): number | null {
  try {
    return statSync(path).size;
  } catch {
    return null;
  }
}

/** Analyses one file into its report; files that cannot be analysed become a failed report. */
export function analyseFile(path: string, options: TriageOptions): FileReport {
  try {
    const result = diagnose(path, options);
    return buildFileReport(path, result);
  } catch (error) {
    if (error instanceof NotPeError) {
      return failedFileReport(path, 'not-pe', error.message, sizeOf(path), [{
        code: 'THK-NOT-PE', severity: 'error', title: `Not a Windows DLL: ${error.reason}`,
        explanation: 'Windows refuses to load a file that is not a PE image with error 193 ("%1 is not a valid Win32 application").',
        evidence: [path], fix: 'Check that the right file was sent: a Windows DLL starts with "MZ" and has a PE header.', hostArch: null, rootCause: true,
      }]);
    }
    if (error instanceof FileAccessError) return failedFileReport(path, 'unreadable', error.message, null);
    // A bug in Thunk on one file must not cost the user the report on all the others.
    return failedFileReport(path, 'failed', `${path}: Thunk failed to analyse this file (${(error as Error)?.message ?? String(error)}); please report it with the file`, sizeOf(path));
  }
}
