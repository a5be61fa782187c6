import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixturePath } from '../../test-support/fixtures.ts';
import { exportNamesOf, findExport, prefillPrototype } from './prototype-prefill.ts';

test('a decorated stdcall name: convention and argument bytes as 4-byte slots, marked as a guess', () => {
  const prefill = prefillPrototype('_Add@12', 'x86');
  assert.equal(prefill.prototype, 'int __stdcall Add(int a1, int a2, int a3)');
  assert.equal(prefill.guessed, true);
  assert.match(prefill.note, /stdcall, 12 bytes of arguments, so 3 4-byte slots/);
});

test('MinGW\'s f@8 and a fastcall @f@8 give their conventions', () => {
  assert.equal(prefillPrototype('Add@8', 'x86').prototype, 'int __stdcall Add(int a1, int a2)');
  assert.equal(prefillPrototype('@Mul@8', 'x86').prototype, 'int __fastcall Mul(int a1, int a2)');
});

test('an undecorated MSVC C++ name: the signature, with the raw name the agent can find', () => {
  const prefill = prefillPrototype('?add@@YGHHH@Z', 'x86');
  assert.equal(prefill.guessed, false);
  assert.equal(prefill.prototype, 'int __stdcall ?add@@YGHHH@Z(int a1, int a2)');
});

test('a plain name: int f(void), with a note that it is a guess', () => {
  const prefill = prefillPrototype('GetCounter', 'x64');
  assert.equal(prefill.prototype, 'int GetCounter(void)');
  assert.equal(prefill.guessed, true);
  assert.match(prefill.note, /A guess/);
});

test('the export the user names is found under its decorated name in a real 32-bit DLL', () => {
  const { machine, names } = exportNamesOf(fixturePath('calling-conventions', 'x86'));
  assert.equal(machine, 'x86');
  assert.equal(findExport(names, 'Mul', machine), '@Mul@8');
  assert.equal(findExport(names, 'Nope', machine), null);
});
