import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import type { FileIdentity } from '../../contract/api-contract.ts';
import type { FileReport } from '../../analysis/report/report-document.ts';
import { failureChain } from './failure-chain.ts';

const CHUNK = 1 << 20;

/** SHA-256 of a file read in 1 MiB chunks (node.exe is 87 MB), or null when it cannot be read. */
export function sha256OfFileSync(path: string): string | null {
  let fd: number | null = null;
  try {
    fd = openSync(path, 'r');
    const hash = createHash('sha256');
    const buffer = Buffer.allocUnsafe(CHUNK);
    for (let read = readSync(fd, buffer, 0, CHUNK, null); read > 0; read = readSync(fd, buffer, 0, CHUNK, null)) hash.update(buffer.subarray(0, read));
    return hash.digest('hex');
  } catch {
    return null;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** SHA-256 read as a stream, for the serving thread (a folder's file opened from its table). */
export async function sha256OfFile(path: string): Promise<string | null> {
  try {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(path, { highWaterMark: CHUNK })) hash.update(chunk as Buffer);
    return hash.digest('hex');
  } catch {
    return null;
  }
}

function identityWith(report: FileReport, sha256: string | null): FileIdentity {
  return {
    file: report.file, name: basename(report.file), size: report.size, sha256, uploaded: false, counts: { exports: report.exports.length, imports: report.imports.length, delayImports: report.delayImports.length },
    chains: { x86: failureChain(report, 'x86'), x64: failureChain(report, 'x64') },
  };
}

/** The identity the UI shows beside a report: name, size and hash of the bytes analysed. */
export function fileIdentitySync(report: FileReport): FileIdentity {
  return identityWith(report, report.status === 'unreadable' ? null : sha256OfFileSync(report.file));
}

/** The same, hashing without blocking the thread. */
export async function fileIdentity(report: FileReport): Promise<FileIdentity> {
  return identityWith(report, report.status === 'unreadable' ? null : await sha256OfFile(report.file));
}
