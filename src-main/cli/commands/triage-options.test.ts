// The triage command line as a user meets it: help, usage errors, output errors, inputs, and the
// load-context options, run through the built CLI on MinGW fixtures.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { addClrHeader } from '../../analysis/resolver/test-support/patch-pe.ts';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fixtureDir, fixturePath } from '../../test-support/fixtures.ts';
import { builtCliSkip, runCli } from '../../test-support/run-cli.ts';

let work = '';
before(() => {
  work = mkdtempSync(join(tmpdir(), 'thunk-triage-options-'));
});
after(() => rmSync(work, { recursive: true, force: true }));

const workDir = (arch: 'x86' | 'x64'): string => join(dirname(dirname(fixtureDir(arch))), 'fixtures-work', arch);

describe('help', { skip: builtCliSkip }, () => {
  test('`thunk help triage` and `thunk triage --help` print the same help: every option and the exit codes', () => {
    const viaHelp = runCli(['help', 'triage']);
    const viaFlag = runCli(['triage', '--help']);
    assert.equal(viaHelp.status, 0);
    assert.equal(viaFlag.status, 0);
    assert.equal(viaHelp.stdout, viaFlag.stdout);
    for (const option of ['--json', '--out <file>', '--min-severity <level>', '--host-exe <file>', '--search-flag <flag>', '--current-dir <dir>', '--path-dir <dir>', '--windows-dir <dir>']) {
      assert.ok(viaHelp.stdout.includes(option), option);
    }
    assert.match(viaHelp.stdout, /Exit codes:\n  0  no blocking problem\n  1  at least one blocking problem\n  2  usage error\n  3 .*\n  4  no PE files/);
  });

  test('a mistyped option is named with the closest valid one', () => {
    const run = runCli(['triage', 'x.dll', '--hots', 'x86']);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^thunk triage: unknown option '--hots'\n\(Did you mean --host\?\)/);
    assert.doesNotMatch(run.stderr, /\n\s+at /);
  });
});

describe('usage errors exit 2 with what was expected', { skip: builtCliSkip }, () => {
  test('--search-flag without --load-method search-flags', () => {
    const run = runCli(['triage', fixturePath('calling-conventions', 'x64'), '--search-flag', 'system32']);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /--search-flag needs --load-method search-flags/);
  });

  test('--host-exe that does not exist, or is a DLL', () => {
    const missing = runCli(['triage', fixturePath('calling-conventions', 'x64'), '--host-exe', '/nonexistent.exe']);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /--host-exe \/nonexistent\.exe: no such file/);
    const dll = runCli(['triage', fixturePath('calling-conventions', 'x64'), '--host-exe', fixturePath('calling-conventions', 'x64')]);
    assert.equal(dll.status, 2);
    assert.match(dll.stderr, /is a DLL; it must be the program/);
    const text = join(work, 'notes.exe');
    writeFileSync(text, 'not a program');
    assert.match(runCli(['triage', fixturePath('calling-conventions', 'x64'), '--host-exe', text]).stderr, /is not a Windows program/);
  });

  test('--windows-dir without system32: a typo, a file, an empty folder', () => {
    const empty = join(work, 'empty-windows');
    mkdirSync(empty);
    for (const dir of [join(work, 'no-such-windows'), fixturePath('calling-conventions', 'x64'), empty]) {
      const run = runCli(['triage', fixturePath('calling-conventions', 'x64'), '--windows-dir', dir]);
      assert.equal(run.status, 2, dir);
      assert.match(run.stderr, /--windows-dir .*(no such folder|is a file|has no system32 folder: give a Windows folder)/, run.stderr);
    }
  });
});

describe('--host-exe decides the host', { skip: builtCliSkip }, () => {
  test('a 32-bit host program: only the 32-bit verdict counts, so a 64-bit DLL is a blocking 193; its folder is the application folder', () => {
    const run = runCli(['triage', fixturePath('calling-conventions', 'x64'), '--host-exe', fixturePath('host-app.exe', 'x86'), '--json']);
    assert.equal(run.status, 1, run.stderr);
    const doc = JSON.parse(run.stdout);
    assert.deepEqual(Object.keys(doc.verdicts), ['x86']);
    assert.equal(doc.verdicts.x86.error.code, 193);
    assert.equal(doc.verdicts.x86.context.applicationDir, fixtureDir('x86'));
    assert.equal(doc.findings.find((f: { rootCause: boolean }) => f.rootCause).severity, 'error');
  });

  test('a .NET AnyCPU host program runs 64-bit; one that prefers 32-bit runs 32-bit (patched copies of host-app.exe)', () => {
    const hosts = (flags: number): string[] => {
      const file = readFileSync(fixturePath('host-app.exe', 'x86'));
      addClrHeader(file, flags);
      const exe = join(work, `dotnet-host-${flags.toString(16)}.exe`);
      writeFileSync(exe, file);
      return Object.keys(JSON.parse(runCli(['triage', fixturePath('calling-conventions', 'x64'), '--host-exe', exe, '--json']).stdout).verdicts);
    };
    assert.deepEqual(hosts(0x1), ['x64']);
    assert.deepEqual(hosts(0x1 | 0x2 | 0x20000), ['x86']);
  });

  test('a 64-bit host program with the 64-bit DLL: loads, exit 0', () => {
    const run = runCli(['triage', fixturePath('calling-conventions', 'x64'), '--host-exe', fixturePath('host-app.exe', 'x64'), '--json']);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(Object.keys(JSON.parse(run.stdout).verdicts), ['x64']);
  });
});

describe('output that cannot be written: one line naming the path and the reason, exit 3', { skip: builtCliSkip }, () => {
  test('--out into a missing folder, or onto a folder', () => {
    const intoMissing = join(work, 'no-such-folder', 'report.html');
    const run = runCli(['triage', fixturePath('calling-conventions', 'x64'), '--html', '--out', intoMissing]);
    assert.equal(run.status, 3);
    assert.equal(run.stderr, `thunk: cannot write ${intoMissing}: the folder ${dirname(intoMissing)} does not exist\n`);
    const ontoFolder = runCli(['triage', fixturePath('calling-conventions', 'x64'), '--out', work]);
    assert.equal(ontoFolder.status, 3);
    assert.equal(ontoFolder.stderr, `thunk: cannot write ${work}: it is a folder; give a file name\n`);
  });
});

// A file even root cannot write to (sysfs refuses it), for the permission case.
const READ_ONLY = '/sys/kernel/notes';

test('--out onto a file that cannot be written: permission denied, exit 3', { skip: builtCliSkip || (existsSync(READ_ONLY) ? false : `${READ_ONLY} does not exist here`) }, () => {
  const run = runCli(['exports', fixturePath('calling-conventions', 'x64'), '--out', READ_ONLY]);
  assert.equal(run.status, 3);
  assert.equal(run.stderr, `thunk: cannot write ${READ_ONLY}: permission denied\n`);
});

describe('inputs', { skip: builtCliSkip }, () => {
  test('an empty folder, or one without PE files, says so and exits 4', () => {
    const empty = join(work, 'empty');
    mkdirSync(empty);
    const run = runCli(['triage', empty]);
    assert.equal(run.status, 4);
    assert.match(run.stderr, /no PE files \(\.dll, \.exe.*\) in .*empty: nothing to triage/);
    writeFileSync(join(empty, 'readme.txt'), 'hello');
    assert.equal(runCli(['triage', empty]).status, 4);
  });

  test('an input that cannot be read says why in words, exit 3', () => {
    const run = runCli(['triage', join(fixturePath('host-app.exe', 'x64'), 'sub')]);
    assert.equal(run.status, 3);
    assert.match(run.stdout, /host-app\.exe\/sub: a part of the path is a file, not a folder/);
  });

  test('a file named twice, or also inside a folder given, is triaged once', () => {
    const folder = join(work, 'dupes');
    mkdirSync(folder);
    copyFileSync(fixturePath('calling-conventions', 'x64'), join(folder, 'a.dll'));
    copyFileSync(fixturePath('data-exports', 'x64'), join(folder, 'b.dll'));
    const doc = JSON.parse(runCli(['triage', join(folder, 'a.dll'), folder, `${folder}/./a.dll`, '--json']).stdout);
    assert.deepEqual(doc.results.map((r: { file: string }) => r.file), [join(folder, 'a.dll'), join(folder, 'b.dll')]);
  });
});

describe('the host process\'s current folder and PATH', { skip: builtCliSkip }, () => {
  test('--path-dir and --current-dir are searched and recorded in the context', () => {
    const dll = fixturePath('needs-missing-dep', 'x64');
    const viaPath = JSON.parse(runCli(['triage', dll, '--host', 'x64', '--path-dir', workDir('x64'), '--json']).stdout);
    assert.equal(viaPath.verdicts.x64.loads, true);
    assert.deepEqual(viaPath.verdicts.x64.context.pathDirs, [workDir('x64')]);
    assert.equal(viaPath.dependencies.x64.children.find((c: { name: string }) => c.name.toLowerCase() === 'missing-dep.dll').strategy, 'path');
    const viaCurrent = JSON.parse(runCli(['triage', dll, '--host', 'x64', '--current-dir', workDir('x64'), '--json']).stdout);
    assert.equal(viaCurrent.verdicts.x64.loads, true);
    assert.equal(viaCurrent.verdicts.x64.context.currentDir, workDir('x64'));
  });
});

describe('what the report carries', { skip: builtCliSkip }, () => {
  test('--imports lists the imported modules and functions in the text output', () => {
    const run = runCli(['triage', fixturePath('needs-missing-dep', 'x64'), '--host', 'x64', '--imports']);
    assert.match(run.stdout, /^ {4}missing-dep\.dll: MissingDepFunc$/m);
  });

  test('--min-severity warning leaves out the information findings (hardening, signature)', () => {
    const all = JSON.parse(runCli(['triage', fixturePath('calling-conventions', 'x64'), '--json']).stdout);
    assert.ok(all.findings.some((f: { severity: string }) => f.severity === 'info'));
    const some = JSON.parse(runCli(['triage', fixturePath('calling-conventions', 'x64'), '--json', '--min-severity', 'warning']).stdout);
    assert.ok(some.findings.length > 0 && some.findings.every((f: { severity: string }) => f.severity !== 'info'));
  });

  test('a 64-bit DLL carries no 32-bit dependency tree unless asked (--all-trees)', () => {
    const plain = JSON.parse(runCli(['triage', fixturePath('calling-conventions', 'x64'), '--json']).stdout);
    assert.deepEqual(Object.keys(plain.dependencies), ['x64']);
    const all = JSON.parse(runCli(['triage', fixturePath('calling-conventions', 'x64'), '--json', '--all-trees']).stdout);
    assert.deepEqual(Object.keys(all.dependencies).sort(), ['x64', 'x86']);
    const asked = JSON.parse(runCli(['triage', fixturePath('calling-conventions', 'x64'), '--json', '--host', 'x86']).stdout);
    assert.deepEqual(Object.keys(asked.dependencies), ['x86']);
  });

  test('the text summary shows the evidence: the wrong-bitness copy skipped and where it was', () => {
    const text = runCli(['triage', fixturePath('needs-wrong-bitness-dep', 'x64'), '--host', 'x64']).stdout;
    assert.match(text, new RegExp(`· ${fixturePath('bitness-dep', 'x64').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: x86 image cannot load into an x64 process`));
    assert.match(text, /· needs-wrong-bitness-dep\.dll → bitness-dep\.dll/);
  });
});
