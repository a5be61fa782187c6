import { useEffect } from 'react';
import type { FileReport } from '../../../../src-main/contract/api-contract.ts';
import { chooseHost, collapseAll, expandAll, expandToProblems, loadDependencies } from '../../store/dependencies-actions.ts';
import { useDependencies, type Host } from '../../store/dependencies-slice.ts';
import { useTriageSettings } from '../../store/store.ts';
import type { WorkspacePanelProps } from '../workspace/workspace-tabs.ts';
import { DependencyTree } from './DependencyTree.tsx';
import { NodeDetails } from './NodeDetails.tsx';
import { ModuleList } from './ModuleList.tsx';
import { WhoExportsSearch } from './WhoExportsSearch.tsx';
import { LoadContextBar } from './LoadContextBar.tsx';
import './dependencies.css';

const HOST_WORDS: Record<Host, string> = { x86: '32-bit process', x64: '64-bit process' };

/** The host shown first: one the file fails in though built for it, else its own bitness. */
function defaultHost(report: FileReport): Host {
  const hosts = Object.keys(report.verdicts) as Host[];
  const failing = hosts.find((h) => report.verdicts[h]!.builtForHost && !report.verdicts[h]!.loads);
  return failing ?? hosts.find((h) => report.verdicts[h]!.builtForHost) ?? hosts[0] ?? 'x64';
}

function HostSwitch({ hosts, host }: { hosts: Host[]; host: Host }) {
  return (
    <div role="radiogroup" aria-label="Host process" className="host-switch">
      {hosts.map((h) => (
        <label key={h} className={h === host ? 'on' : undefined}>
          <input type="radio" name="dep-host" checked={h === host} onChange={() => chooseHost(h)} />{HOST_WORDS[h]}
        </label>
      ))}
    </div>
  );
}

/** The dependency tree per host bitness, the selected module's details, the module list, and who exports a name. */
export function DependenciesPanel({ opened, report }: WorkspacePanelProps) {
  const settings = useTriageSettings();
  const chosen = useDependencies((s) => s.host);
  const view = useDependencies((s) => s.view);
  const loading = useDependencies((s) => s.loading);
  const error = useDependencies((s) => s.error);
  const selected = useDependencies((s) => s.selectedNode);
  const hosts = Object.keys(report.verdicts) as Host[];
  const host = chosen && hosts.includes(chosen) ? chosen : defaultHost(report);
  useEffect(() => { void loadDependencies(opened, report.file, host); }, [opened, report.file, host]);
  const current = view && view.file === report.file && view.host === host ? view : null;
  return (
    <div className="dependencies">
      {settings && <LoadContextBar settings={settings} />}
      <div className="dep-toolbar">
        <HostSwitch hosts={hosts} host={host} />
        {current && <p className={`dep-verdict ${current.loads ? 'ok' : 'fail'}`} data-testid="dependency-verdict">{HOST_WORDS[host]}: {current.verdict}</p>}
        <div className="dep-actions">
          <button type="button" onClick={expandToProblems} disabled={!current}>Expand to problems</button>
          <button type="button" onClick={expandAll} disabled={!current}>Expand all</button>
          <button type="button" onClick={collapseAll} disabled={!current}>Collapse all</button>
        </div>
      </div>
      {error && <p role="alert" className="fail-text">Could not show the dependencies: {error}</p>}
      {loading && !current && <p role="status" className="muted">Resolving the dependency tree…</p>}
      {current && current.nodes.length === 0 && <p className="muted">No dependency tree for a {HOST_WORDS[host]}: the file is not built for it.</p>}
      {current && current.nodes.length > 0 && (
        <>
          <div className="dep-main">
            <DependencyTree view={current} />
            <NodeDetails opened={opened} view={current} id={selected} />
          </div>
          <ModuleList view={current} />
          <WhoExportsSearch opened={opened} file={report.file} host={host} />
        </>
      )}
    </div>
  );
}
