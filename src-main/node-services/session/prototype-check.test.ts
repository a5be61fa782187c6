import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPrototype } from './prototype-check.ts';

test('a stdcall prototype: name, convention and one integer field per parameter', () => {
  const check = checkPrototype('int __stdcall add_numbers(int a, uint64_t b)', '');
  assert.equal(check.ok, true);
  assert.equal(check.convention, 'stdcall');
  assert.deepEqual(check.params.map((p) => [p.name, p.kind, p.bits, p.signed]), [['a', 'integer', 32, true], ['b', 'integer', 64, false]]);
});

test('strings, buffers, out scalars, bools, floats and Windows typedefs get their own kinds', () => {
  const check = checkPrototype('BOOL f(const char *s, LPCWSTR w, char *buf, _Out_ DWORD *n, bool b, double d, void *p)', '');
  assert.deepEqual(check.params.map((p) => p.kind), ['string', 'wide-string', 'buffer', 'out-scalar', 'bool', 'float', 'buffer']);
  assert.equal(check.params[3]!.bits, 32);
  assert.equal(check.params[0]!.nullable, true);
});

test('a struct declared once becomes nested fields; an enum its values', () => {
  const check = checkPrototype('int area(const Size *s, Color c)', 'typedef struct Size { int width; int height; } Size; typedef enum Color { RED, GREEN = 5 } Color;');
  assert.equal(check.ok, true);
  assert.deepEqual(check.params[0]!.fields!.map((f) => f.name), ['width', 'height']);
  assert.deepEqual(check.params[1]!.enumValues, { RED: 0, GREEN: 5 });
});

test('an unknown type is placed on its name in the prototype', () => {
  const text = 'int area(Size *s)';
  const check = checkPrototype(text, '');
  assert.equal(check.ok, false);
  assert.equal(check.problem!.source, 'prototype');
  assert.equal(text.slice(check.problem!.start, check.problem!.end), 'Size');
  assert.match(check.problem!.message, /unknown type "Size".*declare it/);
});

test('an empty parameter is placed on that parameter; a bad declaration on the declarations', () => {
  const text = 'int f(int a, , int b)';
  const check = checkPrototype(text, '');
  assert.equal(check.problem!.message, 'parameter 2 is empty');
  assert.equal(check.problem!.start, text.indexOf(',') + 1);
  const bad = checkPrototype('int f(void)', 'struct { int x; };');
  assert.equal(bad.problem!.source, 'declarations');
  assert.match(bad.problem!.message, /needs a name/);
});

test('not a prototype at all: said so, over the whole text', () => {
  const check = checkPrototype('add_numbers', '');
  assert.equal(check.ok, false);
  assert.match(check.problem!.message, /not a function prototype/);
  assert.deepEqual([check.problem!.start, check.problem!.end], [0, 'add_numbers'.length]);
});
