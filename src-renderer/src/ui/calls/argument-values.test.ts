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
  assert.match((parseInteger('256', 8, false) as { error: string }).error, /out of range for an unsigned 8-bit/);
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

// --- 64-bit integers, floats, booleans, string encodings and the form's round trip ---

const field = (name: string, type: string, kind: ParamField['kind'], extra: Partial<ParamField> = {}): ParamField =>
  ({ name, type, kind, nullable: false, direction: 'default', ...extra });
const errorOf = (result: { value: unknown } | { error: string }): string => {
  assert.ok('error' in result, `expected a refusal, got ${JSON.stringify(result)}`);
  return result.error;
};

test('64-bit hex integers come out as exact decimal strings, never as lossy numbers', () => {
  assert.deepEqual(parseInteger('0xFFFFFFFFFFFFFFFF', 64, false), { value: '18446744073709551615' });
  assert.deepEqual(parseInteger('0x7FFFFFFFFFFFFFFF', 64, true), { value: '9223372036854775807' });
  assert.deepEqual(parseInteger('-0x8000000000000000', 64, true), { value: '-9223372036854775808' });
  // A signed 64-bit hex value above the signed maximum is its bit pattern.
  assert.deepEqual(parseInteger('0x8000000000000000', 64, true), { value: '-9223372036854775808' });
  assert.deepEqual(parseInteger('0xFFFFFFFFFFFFFFFF', 64, true), { value: '-1' });
  // 64-bit values are strings even when small; upper-case 0X, a plus sign and underscores are accepted.
  assert.deepEqual(parseInteger('0X10', 64, false), { value: '16' });
  assert.deepEqual(parseInteger('+0x1_0000_0000', 64, true), { value: '4294967296' });
  assert.deepEqual(parseInteger('9_007_199_254_740_993', 64, true), { value: '9007199254740993' });
  // Through the form: the built argument is the exact string, not a rounded double.
  const { args, errors } = buildArgs([int('u', 64, false), int('s', 64, true), int('m', 64, true)], { 0: '0xFFFFFFFFFFFFFFFF', 1: ' 0x7FFFFFFFFFFFFFFF ', 2: '-0x8000000000000000' });
  assert.deepEqual(errors, {});
  assert.deepEqual(args, ['18446744073709551615', '9223372036854775807', '-9223372036854775808']);
  assert.equal(typeof args[0], 'string');
});

test('out-of-range 64-bit integers are refused with the range in the message', () => {
  const unsigned = 'out of range for an unsigned 64-bit integer (0 to 18446744073709551615)';
  const signed = 'out of range for a signed 64-bit integer (-9223372036854775808 to 9223372036854775807)';
  assert.equal(errorOf(parseInteger('0x10000000000000000', 64, false)), unsigned);
  assert.equal(errorOf(parseInteger('18446744073709551616', 64, false)), unsigned);
  assert.equal(errorOf(parseInteger('-1', 64, false)), unsigned);
  assert.equal(errorOf(parseInteger('-0x1', 64, false)), unsigned);
  assert.equal(errorOf(parseInteger('9223372036854775808', 64, true)), signed);
  assert.equal(errorOf(parseInteger('-9223372036854775809', 64, true)), signed);
  assert.equal(errorOf(parseInteger('-0x8000000000000001', 64, true)), signed);
  assert.equal(errorOf(parseInteger('0x10000000000000000', 64, true)), signed);
  assert.equal(errorOf(parseInteger('0xFFFFFFFFFFFFFFFFG', 64, false)), 'write a whole number, decimal (-12) or hex (0xFF)');
  assert.equal(errorOf(parseInteger('', 64, false)), 'write a whole number, decimal (-12) or hex (0xFF)');
  // In the form the refusal is keyed by the field's path and nothing is built for it.
  const { args, errors } = buildArgs([int('ok', 64, true), int('big', 64, false)], { 0: '1', 1: '0x1FFFFFFFFFFFFFFFF' });
  assert.deepEqual(errors, { 1: unsigned });
  assert.deepEqual(args, ['1', null]);
});

test('floats: decimal and exponent forms become numbers; a non-number is refused', () => {
  const params = [field('x', 'double', 'float'), field('y', 'double', 'float'), field('z', 'float', 'float'), field('w', 'double', 'float'), field('v', 'double', 'float')];
  const { args, errors } = buildArgs(params, { 0: '1.5', 1: '-2e-3', 2: '6.02E23', 3: ' .25 ', 4: '-0' });
  assert.deepEqual(errors, {});
  assert.deepEqual(args, [1.5, -0.002, 6.02e23, 0.25, -0]);
  assert.ok(Object.is(args[4], -0));
  const message = 'write a number, e.g. 1.5 or -2e-3';
  const refused = buildArgs(params, { 0: 'abc', 1: '', 2: '1,5', 3: 'NaN', 4: '1.5.2' });
  assert.deepEqual(refused.errors, { 0: message, 1: message, 2: message, 3: message, 4: message });
  assert.deepEqual(refused.args, [null, null, null, null, null]);
});

test('a float that is not finite is refused (JSON carries Infinity as null)', () => {
  const { args, errors } = buildArgs([field('x', 'double', 'float'), field('y', 'double', 'float')], { 0: 'Infinity', 1: '1e999' });
  assert.deepEqual(args, [null, null], `built ${JSON.stringify(args)} from ${String(args[0])}, ${String(args[1])}`);
  assert.deepEqual(Object.keys(errors), ['0', '1']);
});

test('booleans: a ticked checkbox is true, unticked or untouched is false', () => {
  const params = [field('a', 'BOOL', 'bool'), field('b', 'BOOL', 'bool'), field('c', 'bool', 'bool')];
  const { args, errors } = buildArgs(params, { 0: true, 1: false });
  assert.deepEqual(errors, {});
  assert.deepEqual(args, [true, false, false]);
  assert.deepEqual(valuesFromArgs(params, [true, false, false]), { 0: true, 1: false, 2: false });
});

test('a char * string per encoding: UTF-8 as text, UTF-16 as little-endian hex, ANSI as Windows-1252 hex, each NUL-terminated', () => {
  const s = field('s', 'const char *', 'string', { nullable: true });
  const build = (value: string, enc?: string): unknown => {
    const built = buildArgs([s], enc ? { 0: value, '0#enc': enc } : { 0: value });
    assert.deepEqual(built.errors, {});
    return built.args[0];
  };
  // UTF-8 (the default, or chosen) is sent as the text itself, spaces kept.
  assert.equal(build('héllo '), 'héllo ');
  assert.equal(build(' héllo', 'utf8'), ' héllo');
  // UTF-16: each code unit low byte first, then a two-byte NUL.
  assert.deepEqual(build('Hi', 'utf16'), { hex: '480069000000' });
  assert.deepEqual(build('é€', 'utf16'), { hex: 'e900ac200000' });
  assert.deepEqual(build('😀', 'utf16'), { hex: '3dd800de0000' });
  assert.deepEqual(build('', 'utf16'), { hex: '0000' });
  // ANSI: one byte a character, then a one-byte NUL.
  assert.deepEqual(build('Hi', 'ansi'), { hex: '486900' });
  assert.deepEqual(build('ÿ', 'ansi'), { hex: 'ff00' });
  assert.deepEqual(build('', 'ansi'), { hex: '00' });
  assert.equal(buildArgs([s], { 0: 'ĀB', '0#enc': 'ansi' }).errors['0'], '"Ā" is not in the ANSI code page (Windows-1252): choose UTF-8 or UTF-16');
});

test('ANSI strings use Windows-1252 for the euro sign and curly quotes', () => {
  const s = field('s', 'const char *', 'string');
  assert.deepEqual(buildArgs([s], { 0: '€’', '0#enc': 'ansi' }), { args: [{ hex: '809200' }], errors: {} });
});

test('a wchar_t * string defaults to UTF-16, sent as text, and refuses other encodings', () => {
  const w = field('w', 'const wchar_t *', 'wide-string', { nullable: true });
  assert.deepEqual(buildArgs([w], { 0: 'Grüße 😀' }), { args: ['Grüße 😀'], errors: {} });
  assert.deepEqual(buildArgs([w], { 0: 'x', '0#enc': 'utf16' }), { args: ['x'], errors: {} });
  assert.deepEqual(buildArgs([w], { 0: 'x', '0#enc': 'utf8' }), { args: [null], errors: { 0: 'a wchar_t string is UTF-16' } });
  assert.deepEqual(buildArgs([w], { 0: 'x', '0#enc': 'ansi' }), { args: [null], errors: { 0: 'a wchar_t string is UTF-16' } });
  assert.deepEqual(buildArgs([w], { 0: 'x', '0#null': true }), { args: [null], errors: {} });
  assert.deepEqual(valuesFromArgs([w], ['Grüße 😀']), { 0: 'Grüße 😀' });
  assert.deepEqual(valuesFromArgs([w], [null]), { '0#null': true });
});

test('integers round-trip through the form; hex input comes back as decimal', () => {
  const params = [int('a'), int('b', 32, true), int('c', 8, false), int('d', 64, false), int('e', 64, true), int('f', 64, true)];
  const typed = { 0: '0x28', 1: '0xFFFFFFFF', 2: '0xff', 3: '0xFFFFFFFFFFFFFFFF', 4: '0xFFFFFFFFFFFFFFFF', 5: '-0x8000000000000000' };
  const first = buildArgs(params, typed);
  assert.deepEqual(first.errors, {});
  assert.deepEqual(first.args, [40, -1, 255, '18446744073709551615', '-1', '-9223372036854775808']);
  const values = valuesFromArgs(params, first.args);
  assert.deepEqual(values, { 0: '40', 1: '-1', 2: '255', 3: '18446744073709551615', 4: '-1', 5: '-9223372036854775808' });
  assert.deepEqual(buildArgs(params, values), first);
});

test('UTF-8 and wide strings round-trip through the form', () => {
  const params = [field('s', 'const char *', 'string'), field('w', 'const wchar_t *', 'wide-string'), field('n', 'const char *', 'string', { nullable: true })];
  const first = buildArgs(params, { 0: 'café', '0#enc': 'utf8', 1: 'naïve', 2: 'x', '2#null': true });
  assert.deepEqual(first, { args: ['café', 'naïve', null], errors: {} });
  const values = valuesFromArgs(params, first.args);
  assert.deepEqual(values, { 0: 'café', 1: 'naïve', '2#null': true });
  assert.deepEqual(buildArgs(params, values), first);
});

test('ANSI and UTF-16 char * strings round-trip through the form with their encoding', () => {
  const params = [field('a', 'const char *', 'string'), field('u', 'const char *', 'string')];
  const first = buildArgs(params, { 0: 'café', '0#enc': 'ansi', 1: 'Hi', '1#enc': 'utf16' });
  assert.deepEqual(first, { args: [{ hex: '636166e900' }, { hex: '480069000000' }], errors: {} });
  const values = valuesFromArgs(params, first.args);
  assert.deepEqual(buildArgs(params, values), first, `the form came back as ${JSON.stringify(values)}`);
  assert.deepEqual(values, { 0: 'café', '0#enc': 'ansi', 1: 'Hi', '1#enc': 'utf16' });
});

test('a nested struct round-trips through the form, field by field', () => {
  const point = field('origin', 'POINT', 'struct', { fields: [int('x'), int('y')] });
  const inner = field('extent', 'SIZE64 *', 'struct', { nullable: true, fields: [int('cx', 64, false), int('cy', 64, true)] });
  const rect = field('r', 'SHAPE *', 'struct', { nullable: true, fields: [point, inner, field('label', 'const char *', 'string'), field('solid', 'BOOL', 'bool'), field('scale', 'double', 'float')] });
  const params = [rect, field('spare', 'SHAPE *', 'struct', { nullable: true, fields: [point] })];
  const first = buildArgs(params, {
    '0.origin.x': '0x10', '0.origin.y': '-3', '0.extent.cx': '0xFFFFFFFFFFFFFFFF', '0.extent.cy': '-0x8000000000000000',
    '0.label': 'box', '0.solid': true, '0.scale': '2.5e-1', '1#null': true,
  });
  assert.deepEqual(first.errors, {});
  assert.deepEqual(first.args, [
    { origin: { x: 16, y: -3 }, extent: { cx: '18446744073709551615', cy: '-9223372036854775808' }, label: 'box', solid: true, scale: 0.25 },
    null,
  ]);
  const values = valuesFromArgs(params, first.args);
  assert.deepEqual(values, {
    '0.origin.x': '16', '0.origin.y': '-3', '0.extent.cx': '18446744073709551615', '0.extent.cy': '-9223372036854775808',
    '0.label': 'box', '0.solid': true, '0.scale': '0.25', '1#null': true,
  });
  assert.deepEqual(buildArgs(params, values), first);
  // A NULL nested struct inside a struct comes back ticked NULL.
  const withNull = buildArgs([rect], { '0.origin.x': '1', '0.origin.y': '2', '0.extent#null': true, '0.label': '', '0.scale': '0' });
  assert.deepEqual(withNull.errors, {});
  assert.equal((withNull.args[0] as { extent: unknown }).extent, null);
  assert.equal(valuesFromArgs([rect], withNull.args)['0.extent#null'], true);
  assert.deepEqual(buildArgs([rect], valuesFromArgs([rect], withNull.args)), withNull);
  // A bad nested field is refused by its full path.
  assert.deepEqual(buildArgs([rect], { '0.origin.x': '1', '0.origin.y': '2', '0.extent.cx': '-1', '0.extent.cy': '0', '0.scale': '1' }).errors,
    { '0.extent.cx': 'out of range for an unsigned 64-bit integer (0 to 18446744073709551615)' });
});

test('a NUL inside a string is refused in every encoding: the DLL would stop reading there', () => {
  const s = field('s', 'const char *', 'string');
  for (const enc of ['utf8', 'ansi', 'utf16']) {
    const { errors } = buildArgs([s], { 0: 'ab\0cd', '0#enc': enc });
    assert.match(errors[0] ?? '', /cannot hold a NUL character/, enc);
  }
});
