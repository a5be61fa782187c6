import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixturePath } from '../../test-support/fixtures.ts';
import { runCli } from '../../test-support/run-cli.ts';

test('exports --json lists named, ordinal-only and forwarded exports', () => {
  const run = runCli(['exports', fixturePath('ordinals-and-forwarders', 'x64'), '--json']);
  assert.equal(run.status, 0, run.stderr);
  const doc = JSON.parse(run.stdout);
  assert.equal(doc.schemaVersion, 1);
  assert.equal(doc.machine, 'x64');
  const ordinals = doc.exports.map((e: { ordinal: number }) => e.ordinal);
  assert.ok(ordinals.includes(5) && ordinals.includes(7), `ordinal-only exports 5 and 7 in ${ordinals}`);
  assert.ok(doc.exports.filter((e: { ordinal: number; name?: string }) => e.ordinal === 5 || e.ordinal === 7).every((e: { name?: string }) => e.name === undefined));
  const forwarders = doc.exports.map((e: { forwarder?: string }) => e.forwarder).filter(Boolean);
  assert.ok(forwarders.includes('forward-target.#12'), `forwarders: ${forwarders}`);
  assert.ok(forwarders.includes('kernel32.HeapAlloc'), `forwarders: ${forwarders}`);
});

test('exports --demangle undecorates 32-bit stdcall and fastcall names, keeping the raw name', () => {
  const plain = runCli(['exports', fixturePath('calling-conventions', 'x86')]);
  assert.match(plain.stdout, /Add@8/);
  const json = JSON.parse(runCli(['exports', fixturePath('calling-conventions', 'x86'), '--json', '--demangle']).stdout);
  const mul = json.exports.find((e: { name?: string }) => e.name === '@Mul@8');
  assert.ok(mul, 'fastcall export @Mul@8 present');
  assert.ok(mul.demangled && mul.demangled !== '@Mul@8' && mul.demangled.includes('Mul'), `demangled: ${mul.demangled}`);
  const noDemangle = JSON.parse(runCli(['exports', fixturePath('calling-conventions', 'x86'), '--json']).stdout);
  assert.ok(noDemangle.exports.every((e: { demangled?: string }) => e.demangled === undefined));
});

test('exports of a non-PE file fails with what the file is', () => {
  const run = runCli(['exports', process.execPath]);
  assert.equal(run.status, 1);
  assert.match(run.stderr, /ELF .* for x86-64, not a Windows DLL/);
});

test('exports needs exactly one file', () => {
  assert.equal(runCli(['exports']).status, 2);
});

test('exports --demangle keeps the raw name beside the undecorated one and says what a C decoration states', () => {
  const text = runCli(['exports', fixturePath('calling-conventions', 'x86'), '--demangle']).stdout;
  assert.match(text, /  _Add@8  →  Add  \(__stdcall, 8 bytes of arguments\)$/m);
  assert.match(text, /  @Mul@8  →  Mul  \(__fastcall, 8 bytes of arguments\)$/m);
  const json = JSON.parse(runCli(['exports', fixturePath('calling-conventions', 'x86'), '--json', '--demangle']).stdout);
  const add = json.exports.find((e: { name?: string }) => e.name === '_Add@8');
  assert.deepEqual([add.demangled, add.callingConvention, add.argumentBytes], ['Add', 'stdcall', 8]);
});
