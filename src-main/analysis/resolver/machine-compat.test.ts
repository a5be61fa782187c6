import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hostMachine, machineLoadsIn } from './machine-compat.ts';
import type { MachineName } from '../pe/pe-image.ts';

const MACHINES: MachineName[] = ['x86', 'x64', 'arm64', 'arm64ec', 'arm64x', 'arm', 'ia64', 'unknown'];

describe('machine compatibility on x64 Windows', () => {
  test('a 32-bit process runs x86 code, a 64-bit process x64 code', () => {
    assert.equal(hostMachine('x86'), 'x86');
    assert.equal(hostMachine('x64'), 'x64');
  });

  test('LoadLibrary maps only images of the process\'s own machine: no cross-bitness, no ARM, no Itanium', () => {
    const loads = (host: 'x86' | 'x64') => MACHINES.filter((m) => machineLoadsIn(m, host));
    assert.deepEqual(loads('x86'), ['x86']);
    assert.deepEqual(loads('x64'), ['x64']);
  });
});
