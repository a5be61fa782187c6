import type { FolderHostCell, FolderRow } from '../../contract/folder-contract.ts';
import { CONTEXT_NOTICE_CODES, errorLabel, hasBlockingProblem, type FileReport, type VerdictRow } from '../../analysis/report/report-document.ts';
import { verdictMood } from '../../analysis/report/report-format.ts';

function hostCell(verdict: VerdictRow | undefined, report: FileReport): FolderHostCell | undefined {
  if (!verdict) return undefined;
  return { mood: verdictMood(verdict, report), error: verdict.error ? errorLabel(verdict.error) : null };
}

/** The folder table's row of one file: machine, verdict per host, problems by severity (context notices left out). */
export function folderRow(report: FileReport, index: number): FolderRow {
  const problems = { error: 0, warning: 0, info: 0 };
  for (const finding of report.findings) if (!CONTEXT_NOTICE_CODES.has(finding.code)) problems[finding.severity]++;
  return {
    index,
    file: report.file,
    name: report.file.split(/[\\/]/).pop() ?? report.file,
    status: report.status,
    machine: report.machine,
    verdicts: { x86: hostCell(report.verdicts.x86, report), x64: hostCell(report.verdicts.x64, report) },
    problems,
    blocking: hasBlockingProblem(report),
  };
}
