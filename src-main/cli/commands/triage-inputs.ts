import { existsSync, statSync } from 'node:fs';
import { parsePeFile } from '../../analysis/pe/parse-pe.ts';
import type { HostArch, LoadMethod, SearchFlag } from '../../analysis/resolver/load-context.ts';
import { DirectoryIndex } from '../../analysis/resolver/directory-index.ts';
import { windowsDirsFor } from '../../analysis/resolver/windows-dirs.ts';
import type { TriageOptions } from '../../analysis/triage/analyse-file.ts';
import { UsageError } from '../usage-error.ts';

/** The triage options as commander hands them over. */
export interface TriageFlags {
  json?: boolean;
  md?: boolean;
  html?: boolean;
  out?: string;
  problemsOnly?: boolean;
  minSeverity: 'error' | 'warning' | 'info';
  tree?: boolean;
  allTrees?: boolean;
  imports?: boolean;
  realLoader?: boolean;
  host?: 'x86' | 'x64' | 'both';
  appDir?: string;
  hostExe?: string;
  loadMethod?: LoadMethod;
  searchFlag?: SearchFlag[];
  searchDir?: string[];
  currentDir?: string;
  pathDir?: string[];
  windowsDir?: string;
}

function requireFolder(flag: string, path: string | undefined): void {
  if (path === undefined) return;
  if (!existsSync(path)) throw new UsageError(`${flag} ${path}: no such folder`);
  if (!statSync(path).isDirectory()) throw new UsageError(`${flag} ${path} is a file; it must be a folder`);
}

/** The host program's bitness; it must be a PE program (not a DLL) of x86 or x64. */
function hostExeArch(path: string): HostArch {
  if (!existsSync(path)) throw new UsageError(`--host-exe ${path}: no such file`);
  let image;
  try {
    image = parsePeFile(path, { entropy: false });
  } catch (error) {
    throw new UsageError(`--host-exe ${path} is not a Windows program: ${(error as Error).message.replace(`${path}: `, '')}`);
  }
  if (image.fileHeader.isDll) throw new UsageError(`--host-exe ${path} is a DLL; it must be the program (.exe) that loads the DLLs`);
  // A .NET AnyCPU program runs as a 64-bit process on 64-bit Windows (unless it prefers 32-bit).
  if (image.clr?.ilOnly && image.clr.flavor === 'anycpu') return 'x64';
  if (image.machine !== 'x86' && image.machine !== 'x64') throw new UsageError(`--host-exe ${path} is an ${image.machine} program; Thunk judges x86 and x64 hosts`);
  return image.machine;
}

/** A Windows folder: it (or a Wine prefix's drive_c/windows inside it) has a system32 folder. */
function checkWindowsDir(path: string): void {
  requireFolder('--windows-dir', path);
  if (!windowsDirsFor(new DirectoryIndex(), path, 'x64').systemDir) {
    throw new UsageError(`--windows-dir ${path} has no system32 folder: give a Windows folder (a copy or mount of C:\\Windows), or a Wine prefix or its drive_c/windows`);
  }
}

/** The hosts to judge: --host-exe decides when given (and --host must agree with it). */
function hostsFor(flags: TriageFlags): HostArch[] {
  const fromExe = flags.hostExe ? hostExeArch(flags.hostExe) : null;
  if (fromExe && flags.host && flags.host !== 'both' && flags.host !== fromExe) {
    throw new UsageError(`--host ${flags.host} contradicts --host-exe ${flags.hostExe}, which is an ${fromExe} program`);
  }
  if (fromExe) return [fromExe];
  return !flags.host || flags.host === 'both' ? ['x86', 'x64'] : [flags.host];
}

/** Checks the flags together and turns them into triage options; a contradiction is a UsageError. */
export function triageOptions(flags: TriageFlags): TriageOptions {
  if ([flags.json, flags.md, flags.html].filter(Boolean).length > 1) throw new UsageError('choose one of --json, --md and --html');
  if (flags.searchFlag?.length && flags.loadMethod !== 'search-flags') {
    throw new UsageError('--search-flag needs --load-method search-flags (the LOAD_LIBRARY_SEARCH_* flags apply only to that load method)');
  }
  requireFolder('--app-dir', flags.appDir);
  requireFolder('--current-dir', flags.currentDir);
  for (const dir of flags.searchDir ?? []) requireFolder('--search-dir', dir);
  for (const dir of flags.pathDir ?? []) requireFolder('--path-dir', dir);
  if (flags.windowsDir !== undefined) checkWindowsDir(flags.windowsDir);
  return {
    hosts: hostsFor(flags),
    applicationDir: flags.appDir,
    hostExecutable: flags.hostExe,
    loadMethod: flags.loadMethod,
    searchFlags: flags.searchFlag,
    searchDirs: flags.searchDir ?? [],
    windowsDir: flags.windowsDir,
    currentDir: flags.currentDir,
    pathDirs: flags.pathDir ?? [],
  };
}
