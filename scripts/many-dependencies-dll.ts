// bench:ui's DLL with 100+ modules in its dependency tree. No real DLL at hand has that many under
// Wine (node.exe has 29 modules; the most among Wine's own DLLs and programs is 37, msiexec.exe), so this builds
// one with MinGW that imports one real export from each of `count` of Wine's 64-bit DLLs, as a
// plug-in linking against a large framework does; the tree below them is Wine's own.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parsePeFile } from '../src-main/analysis/pe/parse-pe.ts';
import { WINE_DLLS, buildDll, importLibrary } from '../src-main/analysis/resolver/test-support/build-fixture.ts';

interface Imported { dll: string; name: string }

// API set stubs and the C runtimes (linked by default, and full of compiler built-ins) are left out.
const LEFT_OUT = /^(api-ms-|ext-ms-|msvc|ucrt)/;

/**
 * One C-named code export of each Wine DLL, for `count` DLLs in name order. Names are kept unique:
 * COM DLLs all export DllCanUnloadNow, and the linker would take it from the first library only.
 */
function importsFromWine(count: number): Imported[] {
  const chosen: Imported[] = [];
  const names = new Set<string>();
  for (const dll of readdirSync(WINE_DLLS.x64).filter((n) => n.endsWith('.dll') && !LEFT_OUT.test(n)).sort()) {
    if (chosen.length === count) break;
    try {
      const image = parsePeFile(join(WINE_DLLS.x64, dll), { details: false, entropy: false });
      const entry = image.exports?.entries.find((e) => e.kind === 'code' && e.name && /^[A-Za-z][A-Za-z0-9_]*$/.test(e.name) && !names.has(e.name));
      if (!entry?.name) continue;
      names.add(entry.name);
      chosen.push({ dll, name: entry.name });
    } catch {
      // Not every file in Wine's folder parses as a DLL with exports; the next one will do.
    }
  }
  return chosen;
}

/** Builds many-dependencies.dll in `folder`; returns its path and the number of DLLs it imports directly. */
export function buildManyDependenciesDll(folder: string, count = 120): { path: string; direct: number } {
  const imports = importsFromWine(count);
  const libraries = imports.map(({ dll, name }, i) => importLibrary('x64', `LIBRARY ${dll}\nEXPORTS\n  ${name}\n`, join(folder, 'lib', `lib${i}.a`)));
  const declarations = imports.map(({ name }) => `extern void ${name}(void);`).join('\n');
  const references = imports.map(({ name }) => `  (void *)${name},`).join('\n');
  const source = `${declarations}\n__declspec(dllexport) void *const imported_functions[] = {\n${references}\n};\n`;
  const path = buildDll({ arch: 'x64', out: join(folder, 'many-dependencies.dll'), source, link: libraries, flags: ['-fno-builtin'] });
  return { path, direct: imports.length };
}
