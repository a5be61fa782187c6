// Lint = the layering rules: which runtime each folder's code may reach. Analysis code must run in
// the CLI, tests, the browser host and the app alike; the renderer sees only the contract.
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

const electronBan = { name: 'electron', message: 'Only src-main/electron-main may import Electron: analysis code runs in the CLI and the browser host too.' };

const analysisMessage = 'src-main/analysis is analysis only: no processes, sockets or host layers (node-services, cli, browser-host, electron-main); put code that needs them in src-main/node-services.';
const analysisBannedModules = ['child_process', 'cluster', 'http', 'https', 'http2', 'net', 'dgram', 'tls'].flatMap((name) => [name, `node:${name}`]);

export default tseslint.config(
  { ignores: ['dist/**', 'build/**', 'node_modules/**', 'test-results/**', 'fixtures/**'] },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.mjs'],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 2023, sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  {
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/electron-main/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [electronBan], patterns: [{ group: ['electron/*'], message: electronBan.message }] }] },
  },
  {
    // Analysis reads files and computes: it runs in the CLI, tests, worker threads, the browser host
    // and the app alike, so it starts no processes, opens no sockets and reaches no host layer.
    files: ['src-main/analysis/**/*.ts'],
    ignores: ['src-main/analysis/**/*.test.ts', 'src-main/analysis/**/test-support/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [electronBan, ...analysisBannedModules.map((name) => ({ name, message: analysisMessage }))],
        patterns: [
          { group: ['electron/*'], message: electronBan.message },
          { regex: '/(node-services|cli|browser-host|electron-main)/', message: analysisMessage },
        ],
      }],
    },
  },
  {
    files: ['src-main/electron-main/**/*.ts'],
    ignores: ['src-main/electron-main/ipc-router.ts', 'src-main/electron-main/preload.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', importNames: ['ipcMain', 'ipcRenderer'], message: 'IPC goes through ipc-router.ts (main) and preload.ts (renderer), built from the contract.' }],
      }],
    },
  },
  {
    files: ['src-renderer/**/*.ts', 'src-renderer/**/*.tsx'],
    // The build config and the unit tests run in Node, never in the window.
    ignores: ['src-renderer/vite.config.ts', 'src-renderer/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [electronBan, ...nodeBuiltins.map((name) => ({ name, message: 'The renderer runs sandboxed in a browser: no Node modules.' }))],
        patterns: [{ regex: '^node:', message: 'The renderer runs sandboxed in a browser: no Node modules.' }, { regex: 'src-main/(?!contract/api-contract\\.ts$)', message: 'The renderer may import only the contract (src-main/contract/api-contract.ts) from src-main.' }],
      }],
    },
  },
  {
    files: ['src-agent32/**/*.ts'],
    // Tests and their helpers run on the host beside the supervisor, never in the agent's node.exe.
    ignores: ['src-agent32/testing/**', 'src-agent32/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [electronBan],
        patterns: [{ group: ['**/src-main/**'], message: 'The agent runs alone in node.exe (32- or 64-bit): it must not depend on src-main.' }],
      }],
    },
  },
);
