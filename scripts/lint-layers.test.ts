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
  assert.match((await messages("import { app } from 'electron';\n", 'src-main/pe/x.ts')).join(), /Only src-main\/electron-main may import Electron/);
  assert.match((await messages("import { readFileSync } from 'node:fs';\n", 'src-renderer/src/x.ts')).join(), /no Node modules/);
  assert.match((await messages("import { readFileSync } from 'fs';\n", 'src-renderer/src/x.ts')).join(), /no Node modules/);
  assert.match((await messages("import { test } from 'node:test';\n", 'src-renderer/src/x.ts')).join(), /no Node modules/);
  assert.match((await messages("import { parsePe } from '../../../src-main/pe/parse-pe.ts';\n", 'src-renderer/src/ui/x.ts')).join(), /only the contract/);
  assert.match((await messages("import { Supervisor } from '../src-main/agent/supervisor.ts';\n", 'src-agent32/x.ts')).join(), /must not depend on src-main/);
  assert.match((await messages("import { ipcMain } from 'electron';\n", 'src-main/electron-main/window.ts')).join(), /ipc-router/);
});

test('the crossings the design allows pass', async () => {
  assert.deepEqual(await messages("import { REQUESTS } from '../../../src-main/contract/api-contract.ts';\n", 'src-renderer/src/ui/x.ts'), []);
  assert.deepEqual(await messages("import { app } from 'electron';\n", 'src-main/electron-main/x.ts'), []);
  assert.deepEqual(await messages("import { readFileSync } from 'node:fs';\n", 'src-main/service/x.ts'), []);
});
