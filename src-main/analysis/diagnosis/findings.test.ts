import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FINDING_CODES, finding, mergeFindings, type FindingInput } from './findings.ts';
import type { Finding } from './finding.ts';

const make = (over: Partial<FindingInput> = {}): Finding => finding({ code: FINDING_CODES.missingDependency, severity: 'error', title: 't', explanation: 'e', fix: 'f', ...over });

describe('finding', () => {
  test('defaults: no evidence, both hosts, not a root cause', () => {
    const f = finding({ code: FINDING_CODES.unsigned, severity: 'info', title: 'T', explanation: 'E', fix: 'F' });
    assert.deepEqual(f, { code: 'THK-UNSIGNED', severity: 'info', title: 'T', explanation: 'E', evidence: [], fix: 'F', hostArch: null, rootCause: false });
  });

  test('codes are unique, stable THK- names', () => {
    const codes = Object.values(FINDING_CODES);
    assert.equal(new Set(codes).size, codes.length);
    assert.ok(codes.every((c) => /^THK-[A-Z0-9-]+$/.test(c)));
  });
});

describe('mergeFindings across hosts', () => {
  test('the same finding from both hosts is kept once, for both (hostArch null)', () => {
    const merged = mergeFindings([make({ hostArch: 'x86' }), make({ hostArch: 'x64' })], ['x86', 'x64']);
    assert.equal(merged.length, 1);
    assert.equal(merged[0]!.hostArch, null);
  });

  test('findings that differ in anything but the host stay apart, each with its host', () => {
    const merged = mergeFindings([make({ hostArch: 'x86', evidence: ['a'] }), make({ hostArch: 'x64', evidence: ['b'] })], ['x86', 'x64']);
    assert.deepEqual(merged.map((f) => f.hostArch), ['x86', 'x64']);
  });

  test('a finding of one host only keeps that host', () => {
    const merged = mergeFindings([make({ hostArch: 'x64' })], ['x86', 'x64']);
    assert.deepEqual(merged.map((f) => f.hostArch), ['x64']);
  });

  test('with a single host nothing is turned into "both"; repeats are dropped', () => {
    const merged = mergeFindings([make({ hostArch: 'x64' }), make({ hostArch: 'x64' })], ['x64']);
    assert.deepEqual(merged.map((f) => f.hostArch), ['x64']);
  });

  test('host-independent findings (image findings) are not repeated', () => {
    const image = make({ code: FINDING_CODES.noAslr, severity: 'info' });
    assert.equal(mergeFindings([image, { ...image }], ['x86', 'x64']).length, 1);
  });
});

describe('mergeFindings order', () => {
  test('root causes first, then errors, warnings, information; otherwise as given', () => {
    const list = [
      make({ title: 'info', severity: 'info' }),
      make({ title: 'warning', severity: 'warning' }),
      make({ title: 'error-1', severity: 'error' }),
      make({ title: 'root', severity: 'error', rootCause: true, hostArch: 'x64' }),
      make({ title: 'error-2', severity: 'error' }),
    ];
    assert.deepEqual(mergeFindings(list, ['x64']).map((f) => f.title), ['root', 'error-1', 'error-2', 'warning', 'info']);
  });

  test('a root cause of one host still comes before shared errors', () => {
    const list = [make({ title: 'shared', hostArch: 'x86' }), make({ title: 'shared', hostArch: 'x64' }), make({ title: 'root-x86', hostArch: 'x86', rootCause: true })];
    const merged = mergeFindings(list, ['x86', 'x64']);
    assert.deepEqual(merged.map((f) => [f.title, f.hostArch]), [['root-x86', 'x86'], ['shared', null]]);
  });
});
