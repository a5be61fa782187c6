import type { FileReport } from '../../../../src-main/contract/api-contract.ts';
import { VerdictCard } from '../VerdictCard.tsx';
import { FindingsList } from '../FindingsList.tsx';
import { FileIdentity } from '../FileIdentity.tsx';
import type { Host, Verdict } from '../verdict-words.ts';
import type { WorkspacePanelProps } from './workspace-tabs.ts';
import { RealLoaderCheck } from '../real-loader/RealLoaderCheck.tsx';

const PROBLEM_TITLES: Record<Exclude<FileReport['status'], 'analysed'>, string> = {
  'not-pe': 'This is not a Windows DLL',
  unreadable: 'Thunk cannot read this file',
  failed: 'Thunk could not analyse this file',
};

function FileProblem({ report }: { report: FileReport }) {
  const status = report.status as Exclude<FileReport['status'], 'analysed'>;
  const finding = report.findings[0];
  const fix = finding?.fix ?? (status === 'unreadable' ? 'Check the path, that the file exists, and that you may read it.' : 'Report this to the Thunk developers with the file.');
  return (
    <section className="problem" role="alert" aria-labelledby="problem-title">
      <h2 id="problem-title">{PROBLEM_TITLES[status]}</h2>
      <p>{report.error}</p>
      {finding && <p>{finding.explanation}</p>}
      <p><strong>What to do:</strong> {fix}</p>
    </section>
  );
}

/** The verdict per host bitness, the findings by severity and the file's identity. */
export function OverviewPanel({ report, identity }: WorkspacePanelProps) {
  const verdicts = Object.entries(report.verdicts) as [Host, Verdict][];
  return (
    <div className="overview">
      {report.status !== 'analysed' ? <FileProblem report={report} /> : (
        <section aria-label="Verdicts" className="verdicts">
          {verdicts.map(([host, verdict]) => <VerdictCard key={host} report={report} host={host} verdict={verdict} identity={identity} />)}
        </section>
      )}
      {report.status === 'analysed' && <RealLoaderCheck report={report} />}
      {report.status === 'analysed' && <FindingsList report={report} />}
      <FileIdentity report={report} identity={identity} />
    </div>
  );
}
