import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { crashText, errorText, outcomeJson, outcomeText } from './format-outcome.ts';
import type { CrashReport, Outcome } from './outcome.ts';

const abortCrash: CrashReport = {
  code: 0x40000015, name: 'ABORT', address: '0x6a0016d6', module: 'calls.dll', offset: 0x16d6, symbol: 'abort_now+0xd',
  frames: [
    { address: '0x77014a19', module: 'msvcrt.dll', offset: 0x14a19, symbol: 'raise+0x79' },
    { address: '0x6a0016d6', module: 'calls.dll', offset: 0x16d6, symbol: 'abort_now+0xd' },
    { address: '0x1234', module: null, offset: null, symbol: null },
  ],
  registers: {}, source: 'handler', cause: 'abort() was called', exit: { code: 3, signal: null }, stderrTail: '',
};

describe('format-outcome', () => {
  it('a crash: summary, cause, each frame as module+offset and symbol, how the agent died', () => {
    assert.deepEqual(crashText(abortCrash).split('\n'), [
      'CRASH: ABORT (0x40000015) at calls.dll+0x16d6 (abort_now+0xd)',
      '  abort() was called',
      '  backtrace:',
      '    #0 0x77014a19 msvcrt.dll+0x14a19 raise+0x79',
      '    #1 0x6a0016d6 calls.dll+0x16d6 abort_now+0xd',
      '    #2 0x1234 ?',
      '  the agent died (exit status 3)',
    ]);
  });

  it('a crash known only from the exit status says so', () => {
    const inferred: CrashReport = { ...abortCrash, code: 0xc0000409, name: 'STATUS_STACK_BUFFER_OVERRUN', address: null, module: null, offset: null, symbol: null, frames: [], cause: undefined, source: 'exit-status', exit: { code: 9, signal: null } };
    assert.equal(crashText(inferred), 'CRASH: STATUS_STACK_BUFFER_OVERRUN (0xC0000409)\n  the agent died (exit status 9); no exception report, inferred from the exit status');
  });

  it('an error with its OS code and advice', () => {
    assert.equal(errorText({ code: 'wrong-bitness', name: 'ERROR_BAD_EXE_FORMAT', message: 'not a valid Win32 application', osCode: 193, advice: 'use the 32-bit agent' }),
      'error: wrong-bitness ERROR_BAD_EXE_FORMAT (193): not a valid Win32 application\n  advice: use the 32-bit agent');
  });

  it('JSON carries the crash with its one-line summary, the logs and the agent', () => {
    const outcome: Outcome<unknown> = { kind: 'crash', crash: abortCrash, agent: { arch: 'win32-x64', pid: 7, runtime: 'wine', execution: 'wine' }, logs: [{ stream: 'stderr', text: 'Assertion failed\r\n' }], elapsedMs: 5 };
    const json = outcomeJson(outcome) as { crash: CrashReport & { summary: string }; logs: unknown[]; agent: unknown };
    assert.equal(json.crash.summary, 'ABORT (0x40000015) at calls.dll+0x16d6 (abort_now+0xd)');
    assert.equal(json.crash.cause, 'abort() was called');
    assert.deepEqual([json.logs.length, json.agent], [1, { arch: 'win32-x64', pid: 7, runtime: 'wine', execution: 'wine' }]);
    assert.match(outcomeText(outcome, () => ''), /DLL output:\n {2}\| Assertion failed\r\nagent: win32-x64, pid 7, wine\n$/);
  });

  it('a fault that was caught is shown after the error it caused, in text and JSON', () => {
    const handledFault = {
      code: 0xc0000005, name: 'STATUS_ACCESS_VIOLATION', address: '0x679014c2', module: 'dllmain-crash.dll', offset: 0x14c2, symbol: null,
      accessAddress: '0x0', accessKind: 'write' as const, frames: [{ address: '0x679014c2', module: 'dllmain-crash.dll', offset: 0x14c2, symbol: null }],
    };
    const outcome: Outcome<unknown> = {
      kind: 'error', error: { code: 'load-failed', name: 'ERROR_NOACCESS', message: 'No access to memory location.', osCode: 998 },
      handledFault, agent: null, logs: [], elapsedMs: 1,
    };
    assert.deepEqual(outcomeText(outcome, () => '').split('\n'), [
      'error: load-failed ERROR_NOACCESS (998): No access to memory location.',
      '  the DLL faulted during the request, and the fault was caught: STATUS_ACCESS_VIOLATION (0xC0000005) at dllmain-crash.dll+0x14c2',
      '    write access to 0x0',
      '    backtrace:',
      '      #0 0x679014c2 dllmain-crash.dll+0x14c2',
      '',
    ]);
    const json = outcomeJson(outcome) as { handledFault: { summary: string; module: string } };
    assert.deepEqual([json.handledFault.summary, json.handledFault.module], ['STATUS_ACCESS_VIOLATION (0xC0000005) at dllmain-crash.dll+0x14c2', 'dllmain-crash.dll']);
    assert.equal('handledFault' in outcomeJson({ ...outcome, handledFault: undefined }), false);
  });
});
