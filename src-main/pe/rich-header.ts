import type { FileReader } from './file-reader.ts';
import type { IssueLog } from './parse-issues.ts';
import type { RichHeader } from './pe-image.ts';

// Placeholder until implemented.
export function readRichHeader(_reader: FileReader, _peHeaderOffset: number, _issues: IssueLog): RichHeader | null {
  return null;
}
