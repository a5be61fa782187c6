import { useState, type FormEvent } from 'react';
import { ApiError } from '../../../src-main/contract/api-contract.ts';
import { exportReport } from '../store/actions.ts';

type Format = 'html' | 'json' | 'markdown' | 'pdf';

/** Export the report to send: HTML, JSON, Markdown or PDF, optionally without user names and home folders. */
export function ExportPanel() {
  const [format, setFormat] = useState<Format>('html');
  const [redact, setRedact] = useState(true);
  const [status, setStatus] = useState('');
  const onSubmit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    try {
      const name = await exportReport(format, redact);
      setStatus(format === 'pdf' ? 'Opened the report for printing: choose “Save as PDF”.' : `Saved ${name}`);
    } catch (error) {
      setStatus(error instanceof ApiError ? error.message : String(error));
    }
  };
  return (
    <form className="export" onSubmit={(e) => void onSubmit(e)} aria-label="Export report">
      <label htmlFor="export-format">Report</label>
      <select id="export-format" value={format} onChange={(e) => setFormat(e.target.value as Format)}>
        <option value="html">HTML</option>
        <option value="json">JSON</option>
        <option value="markdown">Markdown</option>
        <option value="pdf">PDF (print)</option>
      </select>
      <label className="check"><input type="checkbox" checked={redact} onChange={(e) => setRedact(e.target.checked)} /> Hide user names and home folders</label>
      <button type="submit">Export</button>
      <span role="status" className="muted">{status}</span>
    </form>
  );
}
