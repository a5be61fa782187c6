import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { FileReader } from './file-reader.ts';
import { IssueLog } from './parse-issues.ts';
import { readRichHeader } from './rich-header.ts';
import { PYTHON } from '../../test-support/tools.ts';


const ORACLE = `
import json, sys, pefile
pe = pefile.PE(sys.argv[1], fast_load=True)
r = pe.parse_rich_header()
print(json.dumps(None if r is None else {"key": r["checksum"], "values": r["values"]}))
`;
// MSVC-linked executables that pyenv ships (distlib launchers, old wininst stubs).
const MSVC = [
  '/root/.pyenv/versions/3.13.0/lib/python3.13/site-packages/pip/_vendor/distlib/t32.exe',
  '/root/.pyenv/versions/3.13.0/lib/python3.13/site-packages/pip/_vendor/distlib/w64.exe',
  '/root/.pyenv/versions/3.13.0/lib/python3.13/site-packages/pip/_vendor/distlib/t64-arm.exe',
  '/root/.pyenv/versions/3.7.16/lib/python3.7/distutils/command/wininst-14.0-amd64.exe',
  '/root/.pyenv/versions/3.7.16/lib/python3.7/distutils/command/wininst-6.0.exe',
].filter((path) => existsSync(path));
const MINGW = '/usr/x86_64-w64-mingw32/lib/zlib1.dll';

const pefileRich = (path: string): { key: number; values: number[] } | null =>
  JSON.parse(execFileSync(PYTHON, ['-c', ORACLE, path], { encoding: 'utf8' }));

function richOf(bytes: Buffer, issues = new IssueLog()) {
  return readRichHeader(FileReader.fromBuffer(bytes), bytes.readUInt32LE(0x3c), issues);
}

test('Rich entries and key equal pefile RICH_HEADER on MSVC-linked files, and the linker checksum verifies', (t) => {
  if (MSVC.length === 0) return t.skip('no MSVC-linked executables found on this machine (pyenv distlib launchers)');
  for (const path of MSVC) {
    const expected = pefileRich(path);
    assert.ok(expected, `pefile finds a Rich header in ${path}`);
    const rich = richOf(readFileSync(path))!;
    assert.equal(rich.key, expected.key, path);
    const values = rich.entries.flatMap((entry) => [((entry.productId << 16) | entry.build) >>> 0, entry.count]);
    assert.deepEqual(values, expected.values, path);
    assert.equal(rich.checksumValid, true, `${path}: MSVC wrote this key as the checksum`);
  }
});

test('a MinGW-linked DLL has no Rich header (pefile agrees)', (t) => {
  if (!existsSync(MINGW)) return t.skip(`${MINGW} not installed`);
  assert.equal(pefileRich(MINGW), null);
  assert.equal(richOf(readFileSync(MINGW)), null);
});

test('a byte changed in the DOS stub makes the checksum invalid; e_lfanew is not covered', (t) => {
  if (MSVC.length === 0) return t.skip('no MSVC-linked executables found on this machine');
  const stubChanged = readFileSync(MSVC[0]!);
  stubChanged[0x4e] ^= 0xff;
  assert.equal(richOf(stubChanged)!.checksumValid, false);
  const countChanged = readFileSync(MSVC[0]!);
  countChanged[0x80 + 20] ^= 0x01; // the first entry's count
  assert.equal(richOf(countChanged)!.checksumValid, false);
  const lfanewChanged = readFileSync(MSVC[0]!);
  const peOffset = lfanewChanged.readUInt32LE(0x3c);
  lfanewChanged[0x3f] ^= 0x40;
  assert.equal(readRichHeader(FileReader.fromBuffer(lfanewChanged), peOffset, new IssueLog())!.checksumValid, true);
});

test('malformed: "Rich" without "DanS", a huge e_lfanew, a truncated file', (t) => {
  if (MSVC.length === 0) return t.skip('no MSVC-linked executables found on this machine');
  const noDans = readFileSync(MSVC[0]!);
  noDans.write('XXXX', 0x80, 'latin1');
  const issues = new IssueLog();
  assert.equal(richOf(noDans, issues), null);
  assert.match(issues.issues[0]!.message, /DanS/);

  const original = readFileSync(MSVC[0]!);
  const richAt = original.indexOf('Rich', 0x80);
  const truncated = original.subarray(0, richAt + 6); // key cut in half
  const cutIssues = new IssueLog();
  assert.equal(readRichHeader(FileReader.fromBuffer(truncated), original.readUInt32LE(0x3c), cutIssues), null);
  assert.match(cutIssues.issues[0]!.message, /key/);

  const farIssues = new IssueLog();
  const far = readRichHeader(FileReader.fromBuffer(original), 0x7fffffff, farIssues);
  assert.equal(far!.key, richOf(original)!.key);
  assert.equal(readRichHeader(FileReader.fromBuffer(original), 0x40, farIssues), null);
});
