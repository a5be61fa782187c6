import type { ComponentType } from 'react';
import type { FileIdentity, FileReport, OpenDocument } from '../../../../src-main/contract/api-contract.ts';
import { OverviewPanel } from './OverviewPanel.tsx';
import { ExportsPanel } from '../exports/ExportsPanel.tsx';
import { HeadersPanel } from '../headers/HeadersPanel.tsx';
import { DependenciesPanel } from '../dependencies/DependenciesPanel.tsx';
import { CallConsolePanel } from '../calls/CallConsolePanel.tsx';

/** What every tab panel gets: the open set, the file shown, and that file's identity. */
export interface WorkspacePanelProps {
  opened: OpenDocument;
  report: FileReport;
  identity: FileIdentity | undefined;
}

export interface WorkspaceTab {
  id: string;
  label: string;
  /** Shown only for files that were analysed (not for "not a PE" or unreadable files). */
  analysedOnly: boolean;
  Panel: ComponentType<WorkspacePanelProps>;
}

/** The tabs of one file's workspace, in order; each feature adds its own line. */
export const WORKSPACE_TABS: readonly WorkspaceTab[] = [
  { id: 'overview', label: 'Overview', analysedOnly: false, Panel: OverviewPanel },
  { id: 'dependencies', label: 'Dependencies', analysedOnly: true, Panel: DependenciesPanel },
  { id: 'exports', label: 'Exports', analysedOnly: true, Panel: ExportsPanel },
  { id: 'headers', label: 'Headers', analysedOnly: true, Panel: HeadersPanel },
  { id: 'calls', label: 'Call', analysedOnly: true, Panel: CallConsolePanel },
];
