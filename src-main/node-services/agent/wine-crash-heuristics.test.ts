import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AgentExit } from './agent-process.ts';
import { crashFromWineStderr, type ModuleRange } from './wine-crash-heuristics.ts';

// Exits as the agent process reports them when Wine, not the agent, saw the fault; the stderr lines are Wine's own wording.
function exitWith(stderrTail: string): AgentExit {
  return { code: 5, signal: null, status: 'STATUS_ACCESS_VIOLATION', crashed: true, lowByteOnly: true, crash: null, killedBy: null, stderrTail };
}

const RANGES: ModuleRange[] = [
  { path: 'C:\\fixtures\\calls.dll', base: 0x6b500000n, size: 0x20000 },
  { path: '/tmp/other.dll', base: 0x10000000n, size: 0x1000 },
];

describe('crashFromWineStderr', () => {
  it("places Wine's unhandled page fault in the loaded module that holds the address, with the access", () => {
    const event = crashFromWineStderr(exitWith('wine: Unhandled page fault on write access to 00000010 at address 6B50156A (thread 0024), starting debugger...\n'), RANGES);
    assert.ok(event);
    assert.equal(event.module, 'calls.dll');
    assert.equal(event.offset, 0x156a);
    assert.equal(event.address, '0x6b50156a');
    assert.equal(event.accessKind, 'write');
    assert.equal(event.accessAddress, '0x10');
    assert.equal(event.name, 'STATUS_ACCESS_VIOLATION');
  });

  it('reads the stack overflow line, which names no access', () => {
    const event = crashFromWineStderr(exitWith('virtual_setup_exception stack overflow 5712 bytes addr 0x10000400 stack 0x7ffe1000\n'), RANGES);
    assert.equal(event?.module, 'other.dll');
    assert.equal(event?.offset, 0x400);
    assert.equal(event?.accessKind, undefined);
  });

  it('an address outside every loaded module keeps the address without a module', () => {
    const event = crashFromWineStderr(exitWith('Unhandled illegal instruction at address 7B00F000 (thread 0009)\n'), RANGES);
    assert.equal(event?.address, '0x7b00f000');
    assert.equal(event?.module, null);
    assert.equal(event?.offset, null);
  });

  it('stderr without a fault line gives nothing', () => {
    assert.equal(crashFromWineStderr(exitWith('fixme:ntdll:NtQuerySystemInformation info_class SYSTEM_PERFORMANCE_INFORMATION\n'), RANGES), null);
  });
});
