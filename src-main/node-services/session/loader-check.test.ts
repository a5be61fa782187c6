import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixturePath } from '../../test-support/fixtures.ts';
import { ApiError } from '../../contract/api-contract.ts';
import type { Supervisor } from '../agent/supervisor.ts';
import { SessionService } from './session-service.ts';

// The refusals happen before any agent is asked: a supervisor that is ever made fails the test.
const configDir = mkdtempSync(join(tmpdir(), 'thunk-loader-check-'));
const service = new SessionService({ host: 'in-process', configDir: null, createSupervisor: () => assert.fail('no agent may start for a refused check') as Supervisor });
after(async () => {
  await service.dispose();
  rmSync(configDir, { recursive: true, force: true });
});

const refusal = async (work: Promise<unknown>): Promise<ApiError> => {
  const error = await work.then(() => assert.fail('expected a refusal'), (e: unknown) => e);
  assert.ok(error instanceof ApiError, String(error));
  return error;
};

test('loader.check refuses a report that is not open and a file that is not in it, saying what to do', async () => {
  const dll = fixturePath('calling-conventions', 'x64');
  const opened = await service.request('triage.open', { jobId: 'j1', paths: [dll] });
  const closed = await refusal(service.request('loader.check', { id: 'no-such-report', file: dll }));
  assert.equal(closed.code, 'not-found');
  assert.match(closed.message, /open the file again/);
  const elsewhere = await refusal(service.request('loader.check', { id: opened.id, file: '/elsewhere/other.dll' }));
  assert.equal(elsewhere.code, 'not-found');
  assert.match(elsewhere.message, /\/elsewhere\/other\.dll is not in this report/);
});

test('loader.check refuses a file that could not be analysed (not a PE): no verdict to compare', async () => {
  const notPe = join(configDir, 'notes.txt');
  writeFileSync(notPe, 'not a DLL');
  const opened = await service.request('triage.open', { jobId: 'j2', paths: [notPe] });
  const refused = await refusal(service.request('loader.check', { id: opened.id, file: opened.document.results[0]!.file }));
  assert.equal(refused.code, 'refused');
  assert.match(refused.message, /could not be analysed/);
});

test('agents.status before any agent ran: the x86 and x64 panels, not started; no agent is started to answer', async () => {
  const status = await service.request('agents.status', {});
  assert.deepEqual(status.agents.map((a) => [a.label, a.panelState]), [['x86', 'not-started'], ['x64', 'not-started']]);
});
