import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './browser-host-fixture.ts';

/** A fixture DLL built by `npm run build:fixtures` (MinGW). */
export function fixtureDll(name: string, arch: 'x86' | 'x64'): string {
  const path = join(ROOT, 'build', 'fixtures', arch, `${name}.dll`);
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run build:fixtures\` first`);
  return path;
}
