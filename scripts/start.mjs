// `npm start`: the Electron app; where Electron's binary was never downloaded (an offline
// install with ELECTRON_SKIP_BINARY_DOWNLOAD), says so and starts the browser host instead.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = join(root, 'node_modules', 'electron');

/** The binary electron's own index.js would run, without its download-on-require fallback. */
function electronBinary() {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

function run(command, args) {
  const child = spawn(command, args, { stdio: 'inherit', cwd: root });
  child.on('exit', (code, signal) => process.exit(signal ? 1 : code ?? 0));
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
}

const binary = electronBinary();
if (binary) {
  run(binary, ['.', ...process.argv.slice(2)]);
} else {
  process.stdout.write('Electron\'s binary is not installed here (npm ci ran with ELECTRON_SKIP_BINARY_DOWNLOAD, or offline),\nso Thunk starts its browser host instead. To get the desktop app: unset ELECTRON_SKIP_BINARY_DOWNLOAD and run `npm ci`.\n\n');
  run(process.execPath, [join(root, 'bin', 'thunk'), 'serve', '--open']);
}
