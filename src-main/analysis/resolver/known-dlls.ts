import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { winePrefixOf } from './windows-dirs.ts';

/**
 * HKLM\System\CurrentControlSet\Control\Session Manager\KnownDLLs of a Windows 10 (22H2)
 * x64 installation, plus ntdll.dll, which the loader always treats as known. Used when the
 * Windows folder gives no registry to read. wow64*.dll are absent on purpose: they are never
 * imported by applications.
 */
export const DEFAULT_KNOWN_DLLS: readonly string[] = [
  'advapi32.dll', 'clbcatq.dll', 'combase.dll', 'comdlg32.dll', 'coml2.dll', 'difxapi.dll', 'gdi32.dll',
  'gdiplus.dll', 'imagehlp.dll', 'imm32.dll', 'kernel32.dll', 'msctf.dll', 'msvcrt.dll', 'normaliz.dll',
  'nsi.dll', 'ntdll.dll', 'ole32.dll', 'oleaut32.dll', 'psapi.dll', 'rpcrt4.dll', 'sechost.dll', 'setupapi.dll',
  'shcore.dll', 'shell32.dll', 'shlwapi.dll', 'user32.dll', 'wldap32.dll', 'ws2_32.dll',
];

const KEY = 'system\\currentcontrolset\\control\\session manager\\knowndlls';

/** Unescapes a Wine .reg string body ("a\\\\b" -> "a\\b"). */
function regString(raw: string): string {
  return raw.replace(/\\(.)/g, '$1');
}

/**
 * Reads the KnownDLLs key from a Wine registry file (system.reg): a "[key] stamp" line, then
 * `"name"="value"` lines up to the next "[". Values that are not .dll names (DllDirectory) are
 * ignored. Returns null when the key is absent.
 */
export function parseKnownDllsFromReg(text: string): string[] | null {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((line) => line.startsWith('[') && regString(line.slice(1, line.indexOf(']'))).toLowerCase() === KEY);
  if (start < 0) return null;
  const names: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('[')) break;
    const match = /^"((?:[^"\\]|\\.)*)"="((?:[^"\\]|\\.)*)"$/.exec(line.trim());
    const value = match ? regString(match[2]!).toLowerCase() : '';
    if (value.endsWith('.dll')) names.push(value);
  }
  return names;
}

export interface KnownDlls {
  names: Set<string>;
  /** Where the list came from, shown with the verdict. */
  source: string;
}

/** The KnownDLLs for a Windows folder: a Wine prefix's system.reg when it has the key, else the default list. */
export function knownDllsFor(windowsDir: string | null): KnownDlls {
  const prefix = windowsDir ? winePrefixOf(windowsDir) : null;
  if (prefix) {
    const path = join(prefix, 'system.reg');
    try {
      const names = parseKnownDllsFromReg(readFileSync(path, 'latin1'));
      if (names) return { names: new Set([...names, 'ntdll.dll']), source: path };
    } catch {
      // Unreadable registry: fall back to the default list like a prefix without the key.
    }
  }
  return { names: new Set(DEFAULT_KNOWN_DLLS), source: 'built-in Windows 10 list' };
}
