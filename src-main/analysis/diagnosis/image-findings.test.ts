import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDll, makeTempDir, removeDir } from '../resolver/test-support/build-fixture.ts';
import { parseBuffer, rawLayout, rawSection, setDirectory } from '../resolver/test-support/patch-pe.ts';
import { parsePeFile } from '../pe/parse-pe.ts';
import { FileReader } from '../pe/file-reader.ts';
import { parsePe } from '../pe/parse-pe.ts';
import { hardeningFindings, imageFindings, malformedFindings, packedFindings, signatureFindings } from './image-findings.ts';
import type { Finding } from './finding.ts';

const SOURCE = '__declspec(dllexport) int Api(void) { return 1; }\n';
const HARDENED = ['-Wl,--dynamicbase,--nxcompat,--high-entropy-va'];
// Recent binutils set all three by default: "without" must switch them off.
const UNHARDENED = ['-Wl,--disable-dynamicbase,--disable-nxcompat,--disable-high-entropy-va'];

let dir: string;
let hardened: string;
let unhardened: string;
let unhardened32: string;
let upx: string;
let random: string;
let randomData: string;

before(() => {
  dir = makeTempDir('imgfind');
  hardened = buildDll({ arch: 'x64', out: join(dir, 'hardened.dll'), source: SOURCE, flags: HARDENED });
  unhardened = buildDll({ arch: 'x64', out: join(dir, 'unhardened.dll'), source: SOURCE, flags: UNHARDENED });
  // --high-entropy-va is a PE32+ option: the 32-bit linker refuses it.
  unhardened32 = buildDll({ arch: 'x86', out: join(dir, 'unhardened32.dll'), source: SOURCE, flags: ['-Wl,--disable-dynamicbase,--disable-nxcompat'] });
  const blob = join(dir, 'random.bin');
  writeFileSync(blob, randomBytes(32 * 1024));
  upx = buildDll({ arch: 'x64', out: join(dir, 'upx.dll'), source: `${SOURCE}__asm__(".section UPX1,\\"dr\\"\\n.byte 1,2,3,4\\n.text\\n");\n` });
  random = buildDll({ arch: 'x64', out: join(dir, 'random.dll'), source: `${SOURCE}__asm__(".section .xrand,\\"xr\\"\\n.incbin \\"${blob}\\"\\n.text\\n");\n` });
  randomData = buildDll({ arch: 'x64', out: join(dir, 'random-data.dll'), source: `${SOURCE}__asm__(".section .drand,\\"dr\\"\\n.incbin \\"${blob}\\"\\n.text\\n");\n` });
});
after(() => removeDir(dir));

function shannon(bytes: Buffer): number {
  const counts = new Array<number>(256).fill(0);
  for (const b of bytes) counts[b]!++;
  return counts.filter((c) => c > 0).reduce((h, c) => h - (c / bytes.length) * Math.log2(c / bytes.length), 0);
}

const codes = (findings: Finding[]) => findings.map((f) => f.code);

describe('hardening findings', () => {
  test('built with --dynamicbase --nxcompat --high-entropy-va: no ASLR, high-entropy or DEP finding', () => {
    const found = codes(hardeningFindings(parsePeFile(hardened)));
    for (const code of ['THK-NO-ASLR', 'THK-NO-HIGH-ENTROPY-VA', 'THK-NO-DEP']) assert.ok(!found.includes(code), code);
  });

  test('built without them: no ASLR and no DEP, as information with the MinGW fix', () => {
    const found = hardeningFindings(parsePeFile(unhardened));
    assert.deepEqual(codes(found).filter((c) => c !== 'THK-NO-CFG'), ['THK-NO-ASLR', 'THK-NO-DEP']);
    assert.ok(found.every((f) => f.severity === 'info'));
    assert.match(found.find((f) => f.code === 'THK-NO-ASLR')!.fix, /-Wl,--dynamicbase/);
  });

  test('high-entropy VA is asked of 64-bit DLLs with ASLR only', () => {
    const file = readFileSync(hardened);
    const dc = rawLayout(file).optionalOffset + 70;
    file.writeUInt16LE(file.readUInt16LE(dc) & ~0x20, dc);
    assert.deepEqual(codes(hardeningFindings(parseBuffer(file, 'no-heva.dll'))).filter((c) => c !== 'THK-NO-CFG'), ['THK-NO-HIGH-ENTROPY-VA']);
  });

  test('MinGW builds have no CFG; 32-bit ones no SafeSEH table', () => {
    assert.ok(codes(hardeningFindings(parsePeFile(hardened))).includes('THK-NO-CFG'));
    assert.ok(codes(hardeningFindings(parsePeFile(unhardened32))).includes('THK-NO-SAFESEH'));
    assert.ok(!codes(hardeningFindings(parsePeFile(unhardened))).includes('THK-NO-SAFESEH'));
  });
});

describe('signature findings', () => {
  test('a MinGW build has no certificate table: unsigned, with its path', () => {
    const [f] = signatureFindings(parsePeFile(unhardened));
    assert.equal(f!.code, 'THK-UNSIGNED');
    assert.deepEqual(f!.evidence, [unhardened]);
  });

  test('a PKCS#7 WIN_CERTIFICATE appended (certificate directory patched): not called unsigned', () => {
    const file = readFileSync(unhardened);
    const cert = Buffer.alloc(16);
    cert.writeUInt32LE(cert.length, 0);
    cert.writeUInt16LE(0x200, 4);
    cert.writeUInt16LE(2, 6);
    const signed = Buffer.concat([file, Buffer.alloc((8 - (file.length % 8)) % 8), cert]);
    setDirectory(signed, 4, signed.length - cert.length, cert.length);
    assert.deepEqual(signatureFindings(parseBuffer(signed, 'signed.dll')), []);
  });

  test('a certificate table that was not read (fast path) is not called unsigned', () => {
    const file = readFileSync(unhardened);
    setDirectory(file, 4, file.length - 8, 8);
    assert.deepEqual(signatureFindings(parsePe(FileReader.fromBuffer(file), 'x.dll', { details: false })), []);
  });
});

describe('packed findings', () => {
  test('a UPX-named section is flagged by its name', () => {
    const [f] = packedFindings(parsePeFile(upx));
    assert.equal(f!.code, 'THK-PACKED');
    assert.deepEqual(f!.evidence, ['section UPX1: a packer\'s section name']);
  });

  test('an executable section of random bytes is flagged by its entropy', () => {
    const image = parsePeFile(random);
    const section = image.sections.find((s) => s.name === '.xrand')!;
    assert.ok(section.isExecutable);
    const [f] = packedFindings(image);
    assert.equal(f!.evidence.length, 1);
    const shown = /^executable section \.xrand: entropy (\d\.\d\d) bits\/byte$/.exec(f!.evidence[0]!);
    assert.ok(shown, f!.evidence[0]);
    assert.ok(Math.abs(Number(shown[1]) - shannon(readFileSync(join(dir, 'random.bin')))) < 0.05);
  });

  test('random bytes in a data section (compressed resources are normal) and a plain build are not flagged', () => {
    assert.deepEqual(packedFindings(parsePeFile(randomData)), []);
    assert.deepEqual(packedFindings(parsePeFile(unhardened)), []);
  });

  test('without entropy computed only names can flag', () => {
    assert.deepEqual(packedFindings(parsePeFile(random, { entropy: false })), []);
  });
});

describe('malformed findings', () => {
  test('a file truncated inside .edata: a warning naming the structure and its offset', () => {
    const file = readFileSync(unhardened);
    const edata = rawSection(file, '.edata');
    const image = parseBuffer(file.subarray(0, edata.raw + 16), 'truncated.dll');
    const [f] = malformedFindings(image);
    assert.equal(f!.code, 'THK-MALFORMED');
    assert.equal(f!.severity, 'warning');
    assert.ok(f!.evidence.some((e) => e.startsWith(`section .edata at offset 0x${edata.headerOffset.toString(16)}: `)), f!.evidence.join('\n'));
    assert.match(f!.title, /^Malformed PE structures?: /);
  });

  test('an intact build has no malformed finding', () => {
    assert.deepEqual(malformedFindings(parsePeFile(unhardened)), []);
  });
});

describe('imageFindings', () => {
  test('malformed first, then hardening, signature, packing', () => {
    const file = readFileSync(upx);
    const truncated = parseBuffer(file.subarray(0, rawSection(file, 'UPX1').raw + 2), 'cut.dll');
    const found = codes(imageFindings(truncated));
    assert.equal(found[0], 'THK-MALFORMED');
    assert.ok(found.indexOf('THK-NO-CFG') < found.indexOf('THK-UNSIGNED'));
    assert.equal(found[found.length - 1], 'THK-PACKED');
  });
});
