import { useState, type FormEvent } from 'react';
import type { ReportFormat } from '../../../../src-main/contract/api-contract.ts';
import { download } from '../../store/actions.ts';
import { exportFolder } from '../../store/folder-actions.ts';

/** The whole table as one report (HTML, JSON, Markdown): every file triaged, or those done before a cancel. */
export function FolderExport({ ready }: { ready: boolean }) {
  const [format, setFormat] = useState<ReportFormat>('html');
  const [redact, setRedact] = useState(true);
  const [status, setStatus] = useState('');
  const onSubmit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    try {
      const exported = await exportFolder(format, redact);
      download(exported.fileName, exported.mimeType, exported.content);
      setStatus(`Saved ${exported.fileName}`);
    } catch (error) {
      setStatus((error as Error).message);
    }
  };
  return (
    <form className="folder-export" aria-label="Export the table" onSubmit={(e) => void onSubmit(e)}>
      <label htmlFor="folder-export-format">Report</label>
      <select id="folder-export-format" value={format} onChange={(e) => setFormat(e.target.value as ReportFormat)}>
        <option value="html">HTML</option>
        <option value="json">JSON</option>
        <option value="markdown">Markdown</option>
      </select>
      <label className="check"><input type="checkbox" checked={redact} onChange={(e) => setRedact(e.target.checked)} /> Hide user names</label>
      <button type="submit" disabled={!ready} title={ready ? undefined : 'Export when the run ends (or cancel it)'}>Export table</button>
      <span role="status" className="muted small">{status}</span>
    </form>
  );
}
