import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';

const cwd = fileURLToPath(new URL('..', import.meta.url));
const eslint = new ESLint({ cwd });

async function messages(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

test('the layering lint refuses each crossing the project forbids', async () => {
  assert.match((await messages("import { app } from 'electron';\n", 'src-main/analysis/pe/x.ts')).join(), /Only src-main\/electron-main may import Electron/);
  assert.match((await messages("import { readFileSync } from 'node:fs';\n", 'src-renderer/src/x.ts')).join(), /no Node modules/);
  assert.match((await messages("import { readFileSync } from 'fs';\n", 'src-renderer/src/x.ts')).join(), /no Node modules/);
  assert.match((await messages("import { test } from 'node:test';\n", 'src-renderer/src/x.ts')).join(), /no Node modules/);
  assert.match((await messages("import { parsePe } from '../../../src-main/analysis/pe/parse-pe.ts';\n", 'src-renderer/src/ui/x.ts')).join(), /only the contract/);
  assert.match((await messages("import { Supervisor } from '../src-main/node-services/agent/supervisor.ts';\n", 'src-agent32/x.ts')).join(), /must not depend on src-main/);
  assert.match((await messages("import { ipcMain } from 'electron';\n", 'src-main/electron-main/window.ts')).join(), /ipc-router/);
  assert.match((await messages("import { spawn } from 'node:child_process';\n", 'src-main/analysis/resolver/x.ts')).join(), /analysis only/);
  assert.match((await messages("import { createServer } from 'http';\n", 'src-main/analysis/report/x.ts')).join(), /analysis only/);
  assert.match((await messages("import { Supervisor } from '../../node-services/agent/supervisor.ts';\n", 'src-main/analysis/triage/x.ts')).join(), /analysis only/);
  assert.match((await messages("import { VERSION } from '../../cli/version.ts';\n", 'src-main/analysis/report/x.ts')).join(), /analysis only/);
});

test('the crossings the design allows pass', async () => {
  assert.deepEqual(await messages("import { REQUESTS } from '../../../src-main/contract/api-contract.ts';\n", 'src-renderer/src/ui/x.ts'), []);
  assert.deepEqual(await messages("import { app } from 'electron';\n", 'src-main/electron-main/x.ts'), []);
  assert.deepEqual(await messages("import { readFileSync } from 'node:fs';\n", 'src-main/node-services/session/x.ts'), []);
  assert.deepEqual(await messages("import { readFileSync } from 'node:fs';\nimport { createHash } from 'node:crypto';\n", 'src-main/analysis/pe/x.ts'), []);
  assert.deepEqual(await messages("import { parsePeFile } from '../../analysis/pe/parse-pe.ts';\n", 'src-main/node-services/agent/x.ts'), []);
});
