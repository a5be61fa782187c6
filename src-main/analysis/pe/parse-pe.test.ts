import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { FileReader } from './file-reader.ts';
import { NotPeError, parsePe, parsePeFile } from './parse-pe.ts';
import type { PeImage } from './pe-image.ts';
import { FIXTURE_ARCHES, fixturePath, type FixtureArch } from '../../test-support/fixtures.ts';

const FIXTURES = [
  'calling-conventions', 'ordinals-and-forwarders', 'forward-target', 'needs-missing-dep', 'versioned-dep', 'needs-newer-dep',
  'delay-load', 'delay-target', 'needs-wrong-bitness-dep', 'version-and-manifest', 'data-exports', 'cpp-exports', 'tls-callback',
  'dllmain-returns-false',
];

const parse = (name: string, arch: FixtureArch): PeImage => parsePeFile(fixturePath(name, arch));
const exportNames = (image: PeImage): string[] => image.exports!.entries.map((e) => e.name).filter((n): n is string => n !== null).sort();
const byName = (image: PeImage, name: string) => image.exports!.entries.find((e) => e.name === name)!;

// Header fields read here by hand, so malformed-input tests do not trust the parser for where things are.
function layoutOf(image: Buffer) {
  const pe = image.readUInt32LE(0x3c);
  const optional = pe + 24;
  const is64 = image.readUInt16LE(optional) === 0x20b;
  const directories = optional + (is64 ? 0x70 : 0x60);
  const sectionTable = optional + image.readUInt16LE(pe + 20);
  const sections = Array.from({ length: image.readUInt16LE(pe + 6) }, (_, i) => {
    const at = sectionTable + i * 40;
    return { rva: image.readUInt32LE(at + 12), vsize: image.readUInt32LE(at + 8), rawSize: image.readUInt32LE(at + 16), raw: image.readUInt32LE(at + 20) };
  });
  const offsetOf = (rva: number): number => {
    const s = sections.find((x) => rva >= x.rva && rva < x.rva + Math.max(x.vsize, x.rawSize))!;
    return s.raw + rva - s.rva;
  };
  const dir = (index: number) => ({ at: directories + index * 8, rva: image.readUInt32LE(directories + index * 8), size: image.readUInt32LE(directories + index * 8 + 4) });
  return { pe, sectionTable, sections, offsetOf, dir };
}

const parseBuffer = (bytes: Buffer): PeImage => parsePe(FileReader.fromBuffer(bytes), 'mutated.dll');

for (const arch of FIXTURE_ARCHES) {
  test(`${arch}: every fixture parses without issues, with the right machine and DLL flag`, () => {
    for (const name of FIXTURES) {
      const image = parse(name, arch);
      assert.deepEqual(image.issues, [], name);
      assert.equal(image.machine, arch, name);
      assert.equal(image.is64Bit, arch === 'x64', name);
      assert.equal(image.fileHeader.isDll, true, name);
      assert.ok(image.exports && image.exports.entries.length > 0, name);
      assert.equal(image.exports.dllName, `${name}.dll`);
    }
  });

  test(`${arch}: calling-convention export names`, () => {
    const image = parse('calling-conventions', arch);
    if (arch === 'x86') {
      assert.deepEqual(exportNames(image), ['@Mul@8', 'Add@8', 'Sum', '_Add@8']);
      assert.equal(byName(image, '_Add@8').rva, byName(image, 'Add@8').rva, 'the .def alias points at the same code');
    } else {
      assert.deepEqual(exportNames(image), ['Add', 'Mul', 'Sum']);
    }
    assert.ok(image.exports!.entries.every((e) => e.kind === 'code' && e.section === '.text'));
  });

  test(`${arch}: ordinal-only exports and forwarders by name and by ordinal`, () => {
    const entries = parse('ordinals-and-forwarders', arch).exports!.entries;
    const summary = entries.map((e) => [e.ordinal, e.name, e.kind, e.forwarder]);
    assert.deepEqual(summary, [
      [1, 'Visible', 'code', null],
      [2, 'ForwardedByName', 'forwarder', 'forward-target.TargetFunc'],
      [3, 'ForwardedByOrdinal', 'forwarder', 'forward-target.#12'],
      [4, 'ForwardedToKernel32', 'forwarder', 'kernel32.HeapAlloc'],
      [5, null, 'code', null],
      [7, null, 'code', null],
    ]);
    assert.ok(entries.filter((e) => e.kind === 'forwarder').every((e) => e.rva === null));
    const target = parse('forward-target', arch).exports!.entries.map((e) => [e.ordinal, e.name]);
    assert.deepEqual(target, [[1, 'TargetFunc'], [12, null]]);
  });

  test(`${arch}: data exports are data, functions are code`, () => {
    const image = parse('data-exports', arch);
    assert.deepEqual([byName(image, 'ExportedCounter').kind, byName(image, 'ExportedCounter').section], ['data', '.data']);
    assert.deepEqual([byName(image, 'ExportedGreeting').kind, byName(image, 'ExportedGreeting').section], ['data', '.rdata']);
    assert.equal(byName(image, 'GetCounter').kind, 'code');
    const cpp = parse('cpp-exports', arch);
    assert.deepEqual(exportNames(cpp), ['PlainC', '_ZN5thunk6Widget3addEii', '_ZN5thunk7counterE', '_ZN5thunk7versionEv']);
    assert.equal(byName(cpp, '_ZN5thunk7counterE').kind, 'data');
    assert.equal(byName(cpp, '_ZN5thunk7versionEv').kind, 'code');
  });

  test(`${arch}: delay imports are RVA-based and separate from normal imports`, () => {
    const image = parse('delay-load', arch);
    assert.deepEqual(image.delayImports.map((m) => [m.dll, m.rvaBased, m.functions.map((f) => f.name)]), [
      ['delay-target.dll', true, ['DelayedAdd', 'DelayedNeg']],
      ['user32.dll', true, ['MessageBeep']],
    ]);
    const normal = image.imports.map((m) => m.dll.toLowerCase());
    assert.ok(normal.includes('kernel32.dll'));
    assert.ok(!normal.includes('delay-target.dll') && !normal.includes('user32.dll'));
  });

  test(`${arch}: imports of the dependency fixtures`, () => {
    const functionsOf = (name: string, dll: string) => parse(name, arch).imports.find((m) => m.dll === dll)?.functions.map((f) => f.name).sort();
    assert.deepEqual(functionsOf('needs-missing-dep', 'missing-dep.dll'), ['MissingDepFunc']);
    assert.deepEqual(functionsOf('needs-newer-dep', 'versioned-dep.dll'), ['DepNew', 'DepOld']);
    assert.deepEqual(exportNames(parse('versioned-dep', arch)), ['DepOld']);
    assert.deepEqual(functionsOf('needs-wrong-bitness-dep', 'bitness-dep.dll'), ['BitnessDepFunc']);
    const shipped = parse('bitness-dep', arch);
    assert.equal(shipped.machine, arch === 'x86' ? 'x64' : 'x86');
  });

  test(`${arch}: truncating the file anywhere gives NotPeError or a partial image, never a crash`, () => {
    const full = readFileSync(fixturePath('delay-load', arch));
    const { sections } = layoutOf(full);
    const dataEnd = Math.max(...sections.map((s) => s.raw + s.rawSize));
    const cuts = new Set<number>();
    for (let cut = 0; cut < 0x500; cut += 3) cuts.add(cut);
    for (let i = 1; i < 200; i++) cuts.add(Math.floor((full.length * i) / 200));
    let partial = 0;
    for (const cut of cuts) {
      let image: PeImage;
      try {
        image = parseBuffer(full.subarray(0, cut));
      } catch (error) {
        assert.ok(error instanceof NotPeError, `cut ${cut}: ${(error as Error).stack}`);
        continue;
      }
      partial++;
      if (cut < dataEnd) assert.ok(image.issues.length > 0, `cut at ${cut} of ${full.length} reports nothing`);
      for (const issue of image.issues) assert.ok(issue.offset === null || (issue.offset >= 0 && issue.offset <= full.length), JSON.stringify(issue));
    }
    assert.ok(partial > 150);
  });

  test(`${arch}: a section table running past the end of the file is reported`, () => {
    const image = Buffer.from(readFileSync(fixturePath('data-exports', arch)));
    const { pe, sectionTable } = layoutOf(image);
    const cut = image.subarray(0, sectionTable + 40 * 2 + 10);
    const parsed = parseBuffer(cut);
    assert.equal(parsed.sections.length, 2);
    assert.ok(parsed.issues.some((i) => i.structure === 'section table' && i.offset === sectionTable));
    image.writeUInt16LE(0xffff, pe + 6);
    const many = parseBuffer(image);
    assert.ok(many.issues.some((i) => i.structure === 'section table' && i.offset === sectionTable && /65535 sections declared/.test(i.message)));
  });

  test(`${arch}: huge NumberOfFunctions is capped with an issue at the export directory`, () => {
    const image = Buffer.from(readFileSync(fixturePath('data-exports', arch)));
    const { offsetOf, dir } = layoutOf(image);
    const exportAt = offsetOf(dir(0).rva);
    image.writeUInt32LE(0xffffffff, exportAt + 20);
    const started = Date.now();
    const parsed = parseBuffer(image);
    assert.ok(Date.now() - started < 3000);
    assert.ok(parsed.issues.some((i) => i.structure === 'export directory' && i.offset === exportAt && /4294967295 functions/.test(i.message)));
    assert.ok(parsed.exports!.entries.some((e) => e.name === 'GetCounter'), 'named exports survive');
  });

  test(`${arch}: an export directory whose tables loop back onto itself terminates with issues`, () => {
    const image = Buffer.from(readFileSync(fixturePath('data-exports', arch)));
    const { offsetOf, dir } = layoutOf(image);
    const exportDir = dir(0);
    const at = offsetOf(exportDir.rva);
    image.writeUInt32LE(0xffff, at + 20);
    image.writeUInt32LE(0xffff, at + 24);
    for (const field of [28, 32, 36]) image.writeUInt32LE(exportDir.rva, at + field);
    const parsed = parseBuffer(image);
    assert.ok(parsed.exports);
    assert.ok(parsed.issues.length > 0);
    assert.ok(parsed.imports.length > 0, 'imports are still read');
  });

  test(`${arch}: import descriptors without a terminator are reported with their offset`, () => {
    const image = Buffer.from(readFileSync(fixturePath('needs-missing-dep', arch)));
    const { sections, dir } = layoutOf(image);
    const last = sections.reduce((a, b) => (b.raw + b.rawSize > a.raw + a.rawSize ? b : a));
    assert.equal(last.raw + last.rawSize, image.length, 'the last section ends the file');
    image.fill(0xee, image.length - 0x100);
    image.writeUInt32LE(last.rva + last.rawSize - 0x100, dir(1).at);
    const parsed = parseBuffer(image);
    const runaway = parsed.issues.find((i) => i.structure === 'import directory');
    assert.ok(runaway, JSON.stringify(parsed.issues));
    assert.equal(runaway.offset, image.length - 0x100 + Math.floor(0x100 / 20) * 20);
    assert.match(runaway.message, /without a terminator/);
    assert.equal(parsed.issues.filter((i) => /^import descriptor #\d+$/.test(i.structure)).length, Math.floor(0x100 / 20));
    assert.deepEqual(parsed.exports!.entries.map((e) => e.name), ['CallMissingDep'], 'exports are unaffected');
  });

  test(`${arch}: a broken import table keeps the rest of the image`, () => {
    const image = Buffer.from(readFileSync(fixturePath('delay-load', arch)));
    const { dir } = layoutOf(image);
    image.writeUInt32LE(0x7fff0000, dir(1).at);
    const parsed = parseBuffer(image);
    assert.deepEqual(parsed.imports, []);
    assert.ok(parsed.issues.some((i) => i.structure === 'import directory'));
    assert.equal(parsed.delayImports.length, 2);
    assert.deepEqual(exportNames(parsed), ['UseBeep', 'UseDelayed']);
  });
}

test('non-PE input throws NotPeError, not a generic error', () => {
  assert.throws(() => parseBuffer(Buffer.from('#!/bin/sh\necho hi\n')), NotPeError);
  assert.throws(() => parseBuffer(Buffer.alloc(0)), NotPeError);
});

test('details: false skips the detail readers but still reads exports and imports', () => {
  const image = parsePeFile(fixturePath('version-and-manifest', 'x64'), { details: false, entropy: false });
  assert.equal(image.resources, null);
  assert.equal(image.checksum, null);
  assert.ok(image.sections.every((s) => s.entropy === null));
  assert.deepEqual(exportNames(image), ['VersionedFunc']);
  assert.ok(image.imports.length > 0);
});
