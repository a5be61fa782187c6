import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PeImage, SxsDependency } from '../pe/pe-image.ts';
import { decodeManifest, parseManifest } from '../pe/manifest.ts';
import type { HostArch } from './load-context.ts';
import type { DirectoryIndex } from './directory-index.ts';

/** A manifest dependency and where the activation context finds it. */
export interface SxsAssembly {
  dependency: SxsDependency;
  /** The manifest, assembly DLL or WinSxS folder found; null when not found. */
  path: string | null;
  where: 'application-dir' | 'winsxs' | null;
  /** DLL names (lowercase) the assembly provides: redirected there before the search path. */
  files: string[];
}

export interface SxsScope {
  index: DirectoryIndex;
  applicationDir: string;
  windowsDir: string | null;
  hostArch: HostArch;
}

// The files of well-known assemblies, to tell when an unresolved assembly is the only provider.
const KNOWN_ASSEMBLY_FILES: Record<string, string[]> = {
  'microsoft.vc80.crt': ['msvcr80.dll', 'msvcp80.dll', 'msvcm80.dll'],
  'microsoft.vc90.crt': ['msvcr90.dll', 'msvcp90.dll', 'msvcm90.dll'],
  'microsoft.vc80.mfc': ['mfc80.dll', 'mfc80u.dll', 'mfcm80.dll', 'mfcm80u.dll'],
  'microsoft.vc90.mfc': ['mfc90.dll', 'mfc90u.dll', 'mfcm90.dll', 'mfcm90u.dll'],
  'microsoft.vc80.atl': ['atl80.dll'],
  'microsoft.vc90.atl': ['atl90.dll'],
  'microsoft.windows.common-controls': ['comctl32.dll'],
  'microsoft.windows.gdiplus': ['gdiplus.dll'],
};

/** DLL names a known assembly provides (empty for unknown assemblies). */
export function knownAssemblyFiles(name: string): string[] {
  return KNOWN_ASSEMBLY_FILES[name.toLowerCase()] ?? [];
}

/** The `<file name="...">` entries of a manifest, lowercase. */
export function manifestFiles(xml: string): string[] {
  return [...xml.matchAll(/<file\s[^>]*?name\s*=\s*["']([^"']+)["']/gi)].map((m) => m[1]!.toLowerCase());
}

function readManifestFiles(path: string): string[] {
  try {
    return manifestFiles(readFileSync(path, 'utf8'));
  } catch {
    return [];
  }
}

/** Private assemblies: <app>/<name>.dll, <app>/<name>.manifest, <app>/<name>/<name>.manifest. */
function findInApplicationDir(dep: SxsDependency, scope: SxsScope): SxsAssembly | null {
  const { index, applicationDir } = scope;
  const asDll = index.find(applicationDir, `${dep.name}.dll`);
  if (asDll) return { dependency: dep, path: asDll, where: 'application-dir', files: [`${dep.name}.dll`.toLowerCase()] };
  const manifest = index.find(applicationDir, `${dep.name}.manifest`);
  if (manifest) return { dependency: dep, path: manifest, where: 'application-dir', files: readManifestFiles(manifest) };
  const folder = index.find(applicationDir, dep.name);
  const inner = folder ? index.find(folder, `${dep.name}.manifest`) : null;
  if (folder && inner) return { dependency: dep, path: inner, where: 'application-dir', files: readManifestFiles(inner) };
  return null;
}

function sxsArch(dep: SxsDependency, host: HostArch): string {
  const arch = (dep.processorArchitecture ?? '*').toLowerCase();
  if (arch === '*' || arch === '') return host === 'x86' ? 'x86' : 'amd64';
  return arch === 'win32' ? 'x86' : arch;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 4; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/**
 * Shared assemblies: WinSxS/<arch>_<name>_<token>_<version>_<culture>_<hash>. An exact version
 * wins; otherwise the newest with the same major.minor, as publisher policy redirects.
 */
function findInWinSxs(dep: SxsDependency, scope: SxsScope): SxsAssembly | null {
  const winsxs = scope.windowsDir ? scope.index.find(scope.windowsDir, 'winsxs') : null;
  if (!winsxs) return null;
  const prefix = `${sxsArch(dep, scope.hostArch)}_${dep.name}_`.toLowerCase();
  const token = dep.publicKeyToken?.toLowerCase() ?? null;
  const candidates = scope.index.withPrefix(winsxs, prefix)
    .map((folder) => ({ folder, parts: folder.toLowerCase().slice(prefix.length).split('_') }))
    .filter(({ folder, parts }) => parts.length >= 2 && (!token || parts[0] === token) && !folder.endsWith('.manifest'));
  const wanted = dep.version ?? '';
  const exact = candidates.find(({ parts }) => parts[1] === wanted);
  const family = wanted.split('.').slice(0, 2).join('.');
  const policy = candidates.filter(({ parts }) => !dep.version || parts[1]!.split('.').slice(0, 2).join('.') === family)
    .sort((a, b) => compareVersions(b.parts[1]!, a.parts[1]!))[0];
  const chosen = exact ?? policy;
  if (!chosen) return null;
  // Windows spells it "Manifests"; a copy on a case-sensitive filesystem keeps that case.
  const manifests = scope.index.find(winsxs, 'manifests');
  const manifest = manifests ? scope.index.find(manifests, `${chosen.folder}.manifest`) : null;
  const folderPath = join(winsxs, chosen.folder);
  const files = manifest ? readManifestFiles(manifest) : [...(scope.index.entries(folderPath)?.keys() ?? [])].filter((f) => f.endsWith('.dll'));
  return { dependency: dep, path: folderPath, where: 'winsxs', files };
}

/** Resolves one manifest dependency as the activation context would: private first, then WinSxS. */
export function resolveSxsAssembly(dep: SxsDependency, scope: SxsScope): SxsAssembly {
  return findInApplicationDir(dep, scope) ?? findInWinSxs(dep, scope) ?? { dependency: dep, path: null, where: null, files: knownAssemblyFiles(dep.name) };
}

/**
 * The SxS dependencies the loader honours for a module: its embedded manifest when it has the
 * resource ID the loader reads (1 for a program, 2 or 3 for a DLL), or for a program without
 * one, the external <name>.exe.manifest beside it.
 */
export function manifestDependencies(image: PeImage | null, path: string): SxsDependency[] {
  const embedded = image?.resources?.manifest;
  if (embedded && image) {
    const id = embedded.resourceId;
    const honoured = id === undefined || (image.fileHeader.isDll ? id === 2 || id === 3 : id === 1);
    return honoured ? embedded.dependencies : [];
  }
  if (!image || image.fileHeader.isDll) return [];
  try {
    return parseManifest(decodeManifest(readFileSync(`${path}.manifest`))).dependencies;
  } catch {
    return [];
  }
}
