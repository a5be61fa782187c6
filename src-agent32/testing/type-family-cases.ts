// One table of calls into fixtures/agent/calls.c, one per type family, with what each must give:
// run against the native agent (libcalls.so) and against both Wine agents (calls.dll), so every
// family is checked on each ABI. Expectations differ only where the platforms do: size_t's width
// (64-bit values travel as strings) and wchar_t's (UTF-16 on Windows, UTF-32 elsewhere).
import assert from 'node:assert/strict';
import type { CallResult, JsonValue } from '../protocol/messages.ts';

export interface Target {
  pointerBits: 32 | 64;
  wcharBits: 16 | 32;
}

export type CallFn = (prototype: string, args: JsonValue[], extra?: { declarations?: string }) => Promise<CallResult>;

interface Case {
  prototype: string;
  args: JsonValue[];
  declarations?: string;
  value?: JsonValue;
  /** The out parameters' values, in order. */
  outs?: JsonValue[];
}

const POINT = 'typedef struct Point { int32_t x; int32_t y; } Point;';
const COLOR = 'enum Color { RED, GREEN = 5, BLUE };';

export function typeFamilyCases(target: Target): Record<string, Case[]> {
  // size_t: a number on 32-bit targets, a decimal string (as every 64-bit value) on 64-bit ones.
  const size = (n: number | bigint): JsonValue => (target.pointerBits === 64 ? BigInt.asUintN(64, BigInt(n)).toString() : Number(BigInt.asUintN(32, BigInt(n))));
  return {
    'integers of every width, 64-bit values as strings': [
      { prototype: 'int add(int a, int b)', args: [2, 40], value: 42 },
      { prototype: 'int8_t neg8(int8_t)', args: [-128], value: -128 },
      { prototype: 'uint8_t inc_u8(uint8_t)', args: [255], value: 0 },
      { prototype: 'short neg16(short)', args: [300], value: -300 },
      { prototype: 'unsigned short inc_u16(unsigned short)', args: [65534], value: 65535 },
      { prototype: 'uint32_t inc_u32(uint32_t)', args: [4294967294], value: 4294967295 },
      { prototype: 'int64_t mul64(int64_t, int64_t)', args: ['4294967296', -3], value: '-12884901888' },
      { prototype: 'uint64_t inc_u64(uint64_t)', args: ['18446744073709551614'], value: '18446744073709551615' },
    ],
    'floats, doubles (NaN and infinities as strings), bools and enums': [
      { prototype: 'float half_f(float)', args: [3], value: 1.5 },
      { prototype: 'double scale(double v, double k)', args: [1.25, 4], value: 5 },
      { prototype: 'double scale(double v, double k)', args: ['Infinity', 0], value: 'NaN' },
      { prototype: 'double scale(double v, double k)', args: [1e308, 10], value: 'Infinity' },
      { prototype: 'float half_f(float)', args: ['-Infinity'], value: '-Infinity' },
      { prototype: 'bool invert(bool)', args: [false], value: true },
      { prototype: 'int is_green(Color c)', declarations: COLOR, args: ['GREEN'], value: 1 },
      { prototype: 'Color next_color(Color c)', declarations: COLOR, args: [5], value: 6 },
    ],
    'char and wchar_t strings in and out': [
      { prototype: 'size_t str_len(const char *s)', args: ['héllo'], value: size(6) },
      { prototype: 'size_t str_len(const char *s)', args: [null], value: size(-1) },
      { prototype: 'size_t wstr_len(const wchar_t *s)', args: ['héllo'], value: size(5) },
      // One character outside the BMP: two UTF-16 units, one UTF-32 unit.
      { prototype: 'size_t wstr_len(const wchar_t *s)', args: ['a😀'], value: size(target.wcharBits === 16 ? 3 : 2) },
      { prototype: 'const char *greeting(void)', args: [], value: 'hello from calls' },
      { prototype: 'const wchar_t *wide_greeting(void)', args: [], value: 'grüß 😀' },
    ],
    'out and in-out buffers, out scalars and arrays': [
      { prototype: 'int fill_buffer(char *buf, int size)', args: [{ size: 16 }, 16], value: 9, outs: [{ hex: `${Buffer.from('filled:16').toString('hex')}${'00'.repeat(7)}`, text: 'filled:16' }] },
      { prototype: 'void upper_inplace(unsigned char *buf, int size)', args: [{ text: 'abc' }, 3], outs: [{ hex: '41424300', text: 'ABC' }] },
      { prototype: 'void divmod(int a, int b, _Out_ int *q, _Out_ int *r)', args: [17, 5, null, null], outs: [3, 2] },
      { prototype: 'void bump(int *v)', args: [41], outs: [42] },
      { prototype: 'int sum_array(const int *values, int count)', args: [[1, 2, 3, 4], 4], value: 10 },
    ],
    'structs by value, by pointer, returned, nested with arrays': [
      { prototype: 'int point_sum(Point p)', declarations: POINT, args: [{ x: 3, y: 4 }], value: 7 },
      { prototype: 'Point make_point(int x, int y)', declarations: POINT, args: [5, 6], value: { x: 5, y: 6 } },
      { prototype: 'void point_swap(Point *p)', declarations: POINT, args: [{ x: 1, y: 2 }], outs: [{ x: 2, y: 1 }] },
      {
        prototype: 'double record_score(const struct Record *r)',
        declarations: `${POINT} struct Record { int8_t tag; double weight; char name[16]; Point where; };`,
        args: [{ tag: 2, weight: 1.5, name: 'abcd', where: { x: 10, y: 0 } }],
        value: 17,
      },
    ],
  };
}

/** Runs one family's cases through `call`, naming the case that differs. */
export async function checkCases(call: CallFn, cases: Case[]): Promise<void> {
  for (const c of cases) {
    const result = await call(c.prototype, c.args, c.declarations ? { declarations: c.declarations } : {});
    const label = `${c.prototype} (${JSON.stringify(c.args)})`;
    if ('value' in c) assert.deepEqual(result.value, c.value, label);
    if (c.outs) assert.deepEqual(result.outs.map((o) => o.value), c.outs, label);
  }
}
