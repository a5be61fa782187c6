import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type FixtureArch = 'x86' | 'x64';

export const FIXTURE_ARCHES: readonly FixtureArch[] = ['x86', 'x64'];

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Folder holding the shipped fixture DLLs of one architecture. */
export function fixtureDir(arch: FixtureArch): string {
  return join(ROOT, 'build', 'fixtures', arch);
}

/** Path of a built fixture DLL ("calling-conventions" or "calling-conventions.dll"). */
export function fixturePath(name: string, arch: FixtureArch): string {
  const file = /\.[a-z0-9]+$/i.test(name) ? name : `${name}.dll`;
  const path = join(fixtureDir(arch), file);
  if (!existsSync(path)) {
    throw new Error(`fixture ${arch}/${file} is missing (${path}): run \`npm run build:fixtures\` first`);
  }
  return path;
}

/** The compare fixture: compare-plugin.c built twice (v2 adds Subtract, drops Legacy, imports GetTickCount64 and version.dll). */
export function compareFixturePath(arch: FixtureArch, version: 'v1' | 'v2'): string {
  const path = join(ROOT, 'build', 'fixtures', 'compare', arch, version, 'compare-plugin.dll');
  if (!existsSync(path)) throw new Error(`fixture compare/${arch}/${version}/compare-plugin.dll is missing (${path}): run \`npm run build:fixtures\` first`);
  return path;
}
