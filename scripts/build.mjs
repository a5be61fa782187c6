// Bundles the CLI, the triage worker and the agent with esbuild, then the renderer with Vite.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const common = { bundle: true, platform: 'node', target: 'node20', format: 'esm', sourcemap: true, logLevel: 'warning' };

await build({
  ...common,
  entryPoints: { cli: 'src-main/cli/main.ts', 'triage-worker': 'src-main/node-services/session/triage-worker.ts', 'headers-worker': 'src-main/node-services/session/headers-worker.ts' },
  outdir: 'dist',
  define: { THUNK_VERSION: JSON.stringify(pkg.version) },
  banner: { js: "import { createRequire as __thunkCreateRequire } from 'node:module'; const require = __thunkCreateRequire(import.meta.url);" },
});

// The agent runs in node.exe of either bitness (or the host's node): koffi stays external and is
// resolved at run time from node_modules/koffi + node_modules/@koromix/koffi-<platform-arch>
// staged beside agent.js (see scripts/stage-agent-runtimes.ts).
await build({
  ...common,
  entryPoints: { agent: 'src-agent32/agent.ts' },
  outdir: 'dist',
  external: ['koffi'],
});

// The Electron main process (ESM, Electron external) and its preload: sandboxed preloads must be
// one CommonJS file, so the contract (and zod) is bundled into it.
await build({ ...common, entryPoints: { 'electron-main': 'src-main/electron-main/main.ts' }, outdir: 'dist', external: ['electron', 'koffi'], define: { THUNK_VERSION: JSON.stringify(pkg.version) }, banner: { js: "import { createRequire as __thunkCreateRequire } from 'node:module'; const require = __thunkCreateRequire(import.meta.url);" } });
await build({ ...common, entryPoints: { preload: 'src-main/electron-main/preload.ts' }, outdir: 'dist', format: 'cjs', platform: 'browser', external: ['electron'], outExtension: { '.js': '.cjs' } });

// The renderer (React) with Vite into dist/renderer: served by `thunk serve`, loaded by Electron.
const { build: viteBuild } = await import('vite');
await viteBuild({ configFile: 'src-renderer/vite.config.ts', logLevel: 'warn' });
