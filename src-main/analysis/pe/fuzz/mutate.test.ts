import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { MUTATORS, applyMutation, createRng, directoryOf, locatePe, mutate } from './mutate.ts';

const SEED_DLL = '/usr/lib/x86_64-linux-gnu/wine/x86_64-windows/kernel32.dll';
const skip = existsSync(SEED_DLL) ? false : `${SEED_DLL} is absent (Wine not installed)`;

// Wine's DLLs have no delay imports: alias the delay-import entry to the import table so that
// the delay-descriptor mutation has something to hit.
function seedWithDelayImports(): Buffer {
  const buf = readFileSync(SEED_DLL);
  const pe = locatePe(buf)!;
  const imports = directoryOf(buf, pe, 1)!;
  buf.copy(buf, pe.directories + 13 * 8, imports.entry, imports.entry + 8);
  return buf;
}

test('the PRNG is deterministic for a seed and differs across seeds', () => {
  const draw = (seed: number) => Array.from({ length: 8 }, createRng(seed).next);
  assert.deepEqual(draw(42), draw(42));
  assert.notDeepEqual(draw(42), draw(43));
  const rng = createRng(7);
  for (let i = 0; i < 1000; i++) assert.ok(rng.below(10) < 10);
});

test('mutate gives the same bytes and mutation list for the same seed', { skip }, () => {
  const input = readFileSync(SEED_DLL);
  for (const seed of [1, 2, 3, 99, 123456]) {
    const a = mutate(input, seed);
    const b = mutate(input, seed);
    assert.deepEqual(a.applied, b.applied);
    assert.ok(a.data.equals(b.data), `seed ${seed} is not deterministic`);
    assert.ok(a.applied.length >= 1);
  }
  assert.ok(!mutate(input, 1).data.equals(mutate(input, 2).data));
});

test('mutate leaves its input untouched', { skip }, () => {
  const input = readFileSync(SEED_DLL);
  const copy = Buffer.from(input);
  for (let seed = 0; seed < 20; seed++) mutate(input, seed);
  assert.ok(input.equals(copy));
});

test('every mutation applies to a real DLL and changes its bytes', { skip }, () => {
  const input = seedWithDelayImports();
  for (const name of Object.keys(MUTATORS)) {
    let applied = 0;
    for (let seed = 0; seed < 40; seed++) {
      const out = applyMutation(name, input, createRng(seed));
      if (out === null) continue;
      applied++;
      assert.ok(!out.equals(input), `${name} (seed ${seed}) left the buffer unchanged`);
    }
    assert.ok(applied >= 10, `${name} applied only ${applied} times in 40`);
  }
});

test('truncation shortens the buffer', { skip }, () => {
  const input = readFileSync(SEED_DLL);
  for (let seed = 0; seed < 50; seed++) {
    const out = applyMutation('truncate', input, createRng(seed))!;
    assert.ok(out.length < input.length);
    assert.ok(out.equals(input.subarray(0, out.length)));
  }
});

test('structure-aware mutations hit the fields they name', { skip }, () => {
  const input = readFileSync(SEED_DLL);
  const pe = locatePe(input)!;
  const counts = new Set<number>();
  for (let seed = 0; seed < 60; seed++) counts.add(applyMutation('sectionCount', input, createRng(seed))!.readUInt16LE(pe.fileHeader + 2));
  assert.ok(counts.has(0xffff) && counts.has(0));
  const sizes = new Set<number>();
  for (let seed = 0; seed < 60; seed++) sizes.add(applyMutation('optionalHeaderSize', input, createRng(seed))!.readUInt16LE(pe.fileHeader + 16));
  assert.ok(sizes.has(0) && sizes.has(0xffff));
  const lfanews = new Set<number>();
  for (let seed = 0; seed < 60; seed++) lfanews.add(applyMutation('lfanew', input, createRng(seed))!.readUInt32LE(0x3c));
  assert.ok([...lfanews].some((v) => v >= input.length));
});
