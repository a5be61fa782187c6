import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { richProductName } from './rich-products.ts';
import { parsePeFile } from './parse-pe.ts';

const NODE_EXE = new URL('../../../build/agents/win32-x64/node.exe', import.meta.url).pathname;

test('product ids of the VS 2015+ toolsets in words, unknown ones null', () => {
  assert.equal(richProductName(0x102), 'Linker1400: the linker (VS 2015 or later)');
  assert.equal(richProductName(0x105), 'Utc1900_CPP: C++ compiler (VS 2015 or later)');
  assert.equal(richProductName(0x10e), 'Utc1900_POGO_O_CPP: C++, profile-guided (optimised) (VS 2015 or later)');
  assert.equal(richProductName(0x10f), null);
  assert.equal(richProductName(0x93), null);
});

test("node.exe's Rich header: one linker entry, C and C++ compilers", { skip: !existsSync(NODE_EXE) && `${NODE_EXE} is absent (run npm run stage:agents)` }, () => {
  const entries = parsePeFile(NODE_EXE, { entropy: false }).richHeader!.entries;
  const names = entries.map((e) => richProductName(e.productId));
  assert.equal(entries.find((e) => e.productId === 0x102)?.count, 1, 'one linker run');
  assert.ok(names.includes('Utc1900_CPP: C++ compiler (VS 2015 or later)'));
  assert.ok(names.includes('Utc1900_C: C compiler (VS 2015 or later)'));
});
