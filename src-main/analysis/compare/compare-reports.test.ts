import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { analyseFile } from '../triage/analyse-file.ts';
import { compareFixturePath, fixturePath, FIXTURE_ARCHES } from '../../test-support/fixtures.ts';
import type { ExportRow } from '../report/report-document.ts';
import { compareExports, compareReports } from './compare-reports.ts';
import { comparisonHtml, comparisonMarkdown, comparisonText } from './compare-format.ts';

const analyse = (path: string) => analyseFile(path, { hosts: ['x86', 'x64'], searchDirs: [] });

for (const arch of FIXTURE_ARCHES) {
  test(`compare-plugin v1 → v2 (${arch}): Subtract and VersionInfoSize added, Legacy removed, GetTickCount → GetTickCount64, version.dll added`, () => {
    const c = compareReports(analyse(compareFixturePath(arch, 'v1')), analyse(compareFixturePath(arch, 'v2')));
    assert.deepEqual(c.exports.added.map((e) => e.name).sort(), ['Subtract', 'VersionInfoSize']);
    assert.deepEqual(c.exports.removed.map((e) => e.name), ['Legacy']);
    assert.ok(c.exports.unchanged >= 2, `Add and Uptime unchanged: ${c.exports.unchanged}`);
    const kernel32 = c.imports.find((m) => m.dll.toLowerCase() === 'kernel32.dll');
    assert.equal(kernel32?.change, 'changed');
    assert.ok(kernel32!.added.includes('GetTickCount64') && kernel32!.removed.includes('GetTickCount'), JSON.stringify(kernel32));
    assert.equal(c.imports.find((m) => m.dll.toLowerCase() === 'version.dll')?.change, 'added');
    assert.deepEqual(c.differs, { exports: true, imports: true });
    const version = c.facts.find((f) => f.label === 'file version');
    assert.deepEqual([version?.a, version?.b, version?.changed], ['1.0.0.0', '2.0.0.0', true]);
    assert.equal(c.facts.find((f) => f.label === 'machine')?.changed, false);
    assert.deepEqual(c.verdicts.map((v) => v.host), ['x86', 'x64']);
  });
}

test('a file compared with itself: nothing differs', () => {
  const report = analyse(compareFixturePath('x64', 'v1'));
  const c = compareReports(report, report);
  assert.deepEqual(c.differs, { exports: false, imports: false });
  assert.equal(c.exports.added.length + c.exports.removed.length + c.exports.changed.length, 0);
  assert.ok(c.facts.every((f) => !f.changed));
  assert.match(comparisonText(c), /Same exports and imports/);
});

test('link timestamp, signature and each hardening flag are compared, each in words', () => {
  // B is a copy of A's real report with those three facts changed: the subject is their comparison.
  const a = analyse(compareFixturePath('x64', 'v1'));
  const b = structuredClone(a);
  const flag = Object.keys(a.summary!.hardening).find((k) => typeof a.summary!.hardening[k] === 'boolean');
  Object.assign(b.summary!, { timestamp: '2031-01-01T00:00:00.000Z', hardening: { ...a.summary!.hardening, [flag!]: !a.summary!.hardening[flag!] } });
  b.signature = { status: 'invalid', signatures: [], problems: [], catalogNote: null };
  const changed = compareReports(a, b).facts.filter((f) => f.changed);
  assert.deepEqual(changed.map((f) => f.label), ['link timestamp', 'signature', `hardening: ${flag}`]);
  assert.deepEqual([changed[1]!.a, changed[1]!.b], [a.signature?.status ?? 'unsigned', 'invalid']);
  assert.deepEqual([changed[2]!.a, changed[2]!.b].sort(), ['off', 'on']);
  assert.equal(changed[0]!.b, '2031-01-01T00:00:00.000Z');
});

test('the 32-bit and 64-bit builds: the machine and the verdicts differ, exports do not', () => {
  const c = compareReports(analyse(compareFixturePath('x86', 'v1')), analyse(compareFixturePath('x64', 'v1')));
  const machine = c.facts.find((f) => f.label === 'machine')!;
  assert.deepEqual([machine.a, machine.b, machine.changed], ['x86', 'x64', true]);
  assert.ok(c.verdicts.some((v) => v.changed), JSON.stringify(c.verdicts));
  assert.equal(c.differs.exports, false);
});

test('exports: a forwarder change, an ordinal move and an ordinal-only export that gains a name are "changed"; another name at the same ordinal is removed + added', () => {
  const a: ExportRow[] = [
    { ordinal: 1, name: 'Open', rva: 0x1000, kind: 'code' },
    { ordinal: 2, name: 'Alloc', forwarder: 'kernel32.HeapAlloc', kind: 'forwarder' },
    { ordinal: 3, name: 'OldName', rva: 0x1100, kind: 'code' },
    { ordinal: 7, rva: 0x1200, kind: 'code' },
    { ordinal: 8, rva: 0x1300, kind: 'code' },
  ];
  const b: ExportRow[] = [
    { ordinal: 4, name: 'Open', rva: 0x2000, kind: 'code' },
    { ordinal: 2, name: 'Alloc', forwarder: 'ntdll.RtlAllocateHeap', kind: 'forwarder' },
    { ordinal: 3, name: 'NewName', rva: 0x1100, kind: 'code' },
    { ordinal: 7, rva: 0x9999, kind: 'code' },
    { ordinal: 8, name: 'NowNamed', rva: 0x1300, kind: 'code' },
  ];
  const d = compareExports(a, b);
  assert.deepEqual(d.changed.map((x) => [x.a.name ?? x.a.ordinal, x.what.join('+')]), [['Open', 'ordinal'], ['Alloc', 'forwarder'], [8, 'name']]);
  assert.deepEqual([d.added.map((e) => e.name), d.removed.map((e) => e.name), d.unchanged], [['NewName'], ['OldName'], 1]);
});

test('the formats carry the same differences; HTML escapes names', () => {
  const c = compareReports(analyse(compareFixturePath('x64', 'v1')), analyse(compareFixturePath('x64', 'v2')));
  for (const out of [comparisonText(c), comparisonMarkdown(c), comparisonHtml(c)]) {
    assert.match(out, /Subtract/);
    assert.match(out, /Legacy/);
    assert.match(out, /GetTickCount64/);
  }
  const tampered = { ...c, exports: { ...c.exports, added: [{ ordinal: 9, name: '<script>', forwarder: null }] } };
  assert.doesNotMatch(comparisonHtml(tampered), /<script>/);
});

test('a file that is not a PE compares as not analysed, without throwing', () => {
  const c = compareReports(analyse(process.execPath), analyse(fixturePath('calling-conventions', 'x64')));
  assert.equal(c.a.status, 'not-pe');
  assert.equal(c.differs.exports, true);
});

const WINE_MSVCRT = { x86: '/usr/lib/i386-linux-gnu/wine/i386-windows/msvcrt.dll', x64: '/usr/lib/x86_64-linux-gnu/wine/x86_64-windows/msvcrt.dll' };

test('real DLLs nobody here wrote: Wine\'s 32-bit and 64-bit msvcrt.dll, over a thousand exports each', { skip: !(existsSync(WINE_MSVCRT.x86) && existsSync(WINE_MSVCRT.x64)) && 'Wine\'s msvcrt.dll is absent (Debian\'s wine32 and wine64 packages)' }, () => {
  const a = analyse(WINE_MSVCRT.x86);
  const b = analyse(WINE_MSVCRT.x64);
  const c = compareReports(a, b);
  assert.deepEqual([c.facts.find((f) => f.label === 'machine')?.a, c.facts.find((f) => f.label === 'machine')?.b], ['x86', 'x64']);
  const named = (rows: typeof a.exports) => new Set(rows.filter((r) => r.name).map((r) => r.name));
  const onlyInA = [...named(a.exports)].filter((n) => !named(b.exports).has(n));
  assert.deepEqual(c.exports.removed.filter((e) => e.name).map((e) => e.name).sort(), onlyInA.sort(), 'removed = the names only the 32-bit one exports');
  assert.ok(onlyInA.length > 0, 'the 32-bit msvcrt exports names the 64-bit one does not (e.g. _CIacos)');
  const { added, removed, changed, unchanged } = c.exports;
  assert.equal(added.length + changed.length + unchanged, b.exports.length, 'every export of B is added, changed or unchanged');
  assert.equal(removed.length + changed.length + unchanged, a.exports.length, 'every export of A is removed, changed or unchanged');
});
