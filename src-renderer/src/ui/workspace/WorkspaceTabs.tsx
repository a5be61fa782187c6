import { useRef, type KeyboardEvent } from 'react';
import { selectTab } from '../../store/actions.ts';
import { useSelectedTab } from '../../store/store.ts';
import { WORKSPACE_TABS, type WorkspacePanelProps } from './workspace-tabs.ts';

/** WAI-ARIA tabs: arrows, Home and End move between tabs; the chosen tab survives switching files. */
export function WorkspaceTabs(props: WorkspacePanelProps) {
  const selected = useSelectedTab();
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const tabs = WORKSPACE_TABS.filter((tab) => !tab.analysedOnly || props.report.status === 'analysed');
  const active = tabs.find((tab) => tab.id === selected) ?? tabs[0]!;
  const move = (event: KeyboardEvent, index: number): void => {
    const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const target = (next + tabs.length) % tabs.length;
    selectTab(tabs[target]!.id);
    buttons.current[target]?.focus();
  };
  const { Panel } = active;
  return (
    <div className="workspace">
      {tabs.length > 1 && (
        <div role="tablist" aria-label="File views" className="tabs">
          {tabs.map((tab, index) => (
            <button
              key={tab.id} type="button" role="tab" id={`tab-${tab.id}`} aria-selected={tab === active} aria-controls={`panel-${tab.id}`}
              tabIndex={tab === active ? 0 : -1} ref={(el) => { buttons.current[index] = el; }}
              onClick={() => selectTab(tab.id)} onKeyDown={(e) => move(e, index)}
            >{tab.label}</button>
          ))}
        </div>
      )}
      <div role={tabs.length > 1 ? 'tabpanel' : undefined} id={`panel-${active.id}`} aria-labelledby={tabs.length > 1 ? `tab-${active.id}` : undefined} className="tab-panel">
        <Panel {...props} />
      </div>
    </div>
  );
}
