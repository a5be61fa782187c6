import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ParamField } from '../../../../src-main/contract/api-contract.ts';
import { buildArgs, hexRows, parseInteger, valuesFromArgs } from './argument-values.ts';

const int = (name: string, bits = 32, signed = true): ParamField => ({ name, type: 'int', kind: 'integer', bits, signed, nullable: false, direction: 'default' });

test('integers of every width, decimal or hex; 64-bit values as exact decimal strings', () => {
  assert.deepEqual(parseInteger('0x28', 32, true), { value: 40 });
  assert.deepEqual(parseInteger('0xFFFFFFFF', 32, true), { value: -1 });
  assert.deepEqual(parseInteger('18446744073709551615', 64, false), { value: '18446744073709551615' });
  assert.deepEqual(parseInteger('-9223372036854775808', 64, true), { value: '-9223372036854775808' });
  assert.match((parseInteger('256', 8, false) as { error: string }).error, /out of range for a unsigned 8-bit|out of range for an? unsigned 8-bit/);
  assert.match((parseInteger('4294967296', 32, true) as { error: string }).error, /out of range/);
  assert.match((parseInteger('1.5', 32, true) as { error: string }).error, /whole number/);
});

test('bad fields are refused by path, nothing built for them', () => {
  const { errors } = buildArgs([int('a'), int('b')], { 0: 'twelve', 1: '7' });
  assert.deepEqual(Object.keys(errors), ['0']);
});

test('strings by encoding, buffers, NULL, out scalars and nested structs', () => {
  const params: ParamField[] = [
    { name: 's', type: 'const char *', kind: 'string', nullable: true, direction: 'default' },
    { name: 'buf', type: 'char *', kind: 'buffer', nullable: true, direction: 'default' },
    { name: 'n', type: 'DWORD *', kind: 'out-scalar', bits: 32, signed: false, nullable: true, direction: 'out' },
    { name: 'size', type: 'Size *', kind: 'struct', nullable: true, direction: 'default', fields: [int('width'), int('height')] },
    { name: 'p', type: 'const char *', kind: 'string', nullable: true, direction: 'default' },
  ];
  const { args, errors } = buildArgs(params, { 0: 'café', '0#enc': 'ansi', '1#size': '16', '3.width': '3', '3.height': '4', '4#null': true });
  assert.deepEqual(errors, {});
  assert.deepEqual(args, [{ hex: '636166e900' }, { size: 16 }, null, { width: 3, height: 4 }, null]);
  const refused = buildArgs([params[0]!], { 0: '😀', '0#enc': 'ansi' });
  assert.match(refused.errors['0']!, /not in the ANSI code page/);
});

test('a past call\'s arguments fill the form again, and build the same arguments', () => {
  const params = [int('a'), { name: 'buf', type: 'char *', kind: 'buffer', nullable: true, direction: 'default' } as ParamField];
  const args = [5, { hex: '0a0b', size: 8 }];
  assert.deepEqual(buildArgs(params, valuesFromArgs(params, args)).args, args);
});

test('the hex view: offset, bytes and printable ASCII per 16 bytes', () => {
  const rows = hexRows('5448554e4b00' + 'ff'.repeat(12));
  assert.equal(rows.length, 2);
  assert.equal(rows[0]!.ascii, 'THUNK...........');
  assert.equal(rows[1]!.offset, '00000010');
});
