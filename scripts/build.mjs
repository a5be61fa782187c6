// Bundles the CLI (and later the app's main process and the agent) with esbuild.
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node20', format: 'esm', sourcemap: true, logLevel: 'warning' };

await build({
  ...common,
  entryPoints: { cli: 'src-main/cli/main.ts' },
  outdir: 'dist',
  banner: { js: "import { createRequire as __thunkCreateRequire } from 'node:module'; const require = __thunkCreateRequire(import.meta.url);" },
});
