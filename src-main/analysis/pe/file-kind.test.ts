import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileReader } from './file-reader.ts';
import { describeNonPe } from './file-kind.ts';
import { FileAccessError, NotPeError, parsePeFile } from './parse-pe.ts';
import { buildSync } from 'esbuild';

const PARSE_PE = fileURLToPath(new URL('./parse-pe.ts', import.meta.url));
const SYSTEM_PYTHON = '/usr/bin/python3';

function describeFile(path: string): string {
  const reader = FileReader.open(path);
  try {
    return describeNonPe(reader);
  } finally {
    reader.close();
  }
}

const describeBytes = (bytes: Buffer): string => describeNonPe(FileReader.fromBuffer(bytes));

function inTempDir(body: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'thunk-kind-'));
  try {
    body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function notPeReason(path: string): string {
  try {
    parsePeFile(path);
  } catch (error) {
    assert.ok(error instanceof NotPeError, `expected NotPeError, got ${(error as Error).name}`);
    return error.reason;
  }
  assert.fail(`${path} parsed as a PE image`);
}

function accessError(path: string): FileAccessError {
  try {
    parsePeFile(path);
  } catch (error) {
    assert.ok(error instanceof FileAccessError, `expected FileAccessError, got ${(error as Error).name}`);
    return error;
  }
  assert.fail(`${path} was readable`);
}

// The ELF header's own e_type and e_machine, read here without the parser.
function elfKind(path: string): { type: number; machine: number } {
  const head = readFileSync(path).subarray(0, 20);
  return { type: head.readUInt16LE(16), machine: head.readUInt16LE(18) };
}

for (const path of ['/bin/ls', '/lib/x86_64-linux-gnu/libc.so.6']) {
  test(`describes ${path} as an ELF file with its type and machine`, (t) => {
    if (!existsSync(path)) return t.skip(`${path} is absent on this machine`);
    const { type, machine } = elfKind(path);
    const typeName = { 2: 'executable', 3: 'shared object' }[type];
    assert.ok(typeName, `unexpected e_type ${type}`);
    assert.equal(machine, 62);
    assert.equal(describeFile(path), `ELF ${typeName} for x86-64`);
    assert.equal(notPeReason(path), `ELF ${typeName} for x86-64`);
  });
}

test('a big-endian ELF header is decoded big-endian', () => {
  const head = Buffer.alloc(64);
  head.writeUInt32BE(0x7f454c46, 0);
  head[5] = 2;
  head.writeUInt16BE(2, 16);
  head.writeUInt16BE(183, 18);
  assert.equal(describeBytes(head), 'ELF executable for AArch64');
});

test('Mach-O headers built in memory: 64-bit dylib, 32-bit executable, universal', () => {
  const dylib = Buffer.alloc(32);
  dylib.writeUInt32LE(0xfeedfacf, 0);
  dylib.writeUInt32LE(0x0100000c, 4);
  dylib.writeUInt32LE(6, 12);
  assert.equal(describeBytes(dylib), 'Mach-O dynamic library for arm64');
  const exe = Buffer.alloc(32);
  exe.writeUInt32BE(0xfeedface, 0);
  exe.writeUInt32BE(7, 4);
  exe.writeUInt32BE(2, 12);
  assert.equal(describeBytes(exe), 'Mach-O executable for x86');
  const fat = Buffer.alloc(32);
  fat.writeUInt32BE(0xcafebabe, 0);
  fat.writeUInt32BE(2, 4);
  assert.equal(describeBytes(fat), 'Mach-O universal binary');
});

test('a Java class file (also 0xcafebabe) is not called Mach-O', () => {
  const java = Buffer.alloc(32);
  java.writeUInt32BE(0xcafebabe, 0);
  java.writeUInt32BE(0x00000034, 4);
  assert.doesNotMatch(describeBytes(java), /Mach-O/);
});

test('a ZIP archive made by Python\'s zipfile is recognised', (t) => {
  if (!existsSync(SYSTEM_PYTHON)) return t.skip(`${SYSTEM_PYTHON} is absent`);
  inTempDir((dir) => {
    const zip = join(dir, 'package.nupkg');
    const made = spawnSync(SYSTEM_PYTHON, ['-c', 'import sys, zipfile\nwith zipfile.ZipFile(sys.argv[1], "w") as z: z.writestr("lib/a.dll", b"MZ")', zip]);
    assert.equal(made.status, 0, made.stderr.toString());
    assert.match(describeFile(zip), /^a ZIP archive/);
    assert.match(notPeReason(zip), /^a ZIP archive/);
  });
});

test('text, empty, OLE and MZ-without-PE files', () => {
  inTempDir((dir) => {
    const text = join(dir, 'readme.txt');
    writeFileSync(text, 'This is not a DLL.\r\nIt is a text file with ünïcödé.\n');
    assert.equal(notPeReason(text), 'a text file');
    const empty = join(dir, 'empty.dll');
    writeFileSync(empty, '');
    assert.equal(notPeReason(empty), 'an empty file (0 bytes)');
  });
  assert.match(describeBytes(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0])), /OLE compound file/);
  const dos = Buffer.alloc(0x80);
  dos.write('MZ', 0, 'latin1');
  dos.writeUInt32LE(0x40, 0x3c);
  assert.equal(notPeReasonOfBuffer(dos), 'an MZ file without a PE signature (a DOS, NE or LE program)');
  assert.equal(notPeReasonOfBuffer(Buffer.from('MZ\x90\x00')), 'an MZ file too small for its header');
  assert.equal(describeBytes(Buffer.from([0, 1, 2, 3, 0xff, 0xfe])), 'not a PE image (no MZ signature)');
});

function notPeReasonOfBuffer(bytes: Buffer): string {
  let reason = '';
  inTempDir((dir) => {
    const path = join(dir, 'x.dll');
    writeFileSync(path, bytes);
    reason = notPeReason(path);
  });
  return reason;
}

test('a folder is a FileAccessError with EISDIR and advice', () => {
  inTempDir((dir) => {
    const error = accessError(dir);
    assert.equal(error.code, 'EISDIR');
    assert.match(error.message, /is a folder/);
  });
});

test('a missing file is a FileAccessError with ENOENT', () => {
  const error = accessError('/nonexistent/thunk/missing.dll');
  assert.equal(error.code, 'ENOENT');
  assert.match(error.message, /no such file/);
});

test('an unreadable file is a FileAccessError with EACCES', (t) => {
  inTempDir((dir) => {
    const path = join(dir, 'locked.dll');
    writeFileSync(path, 'MZ');
    chmodSync(path, 0o000);
    if (process.getuid?.() !== 0) {
      const error = accessError(path);
      assert.equal(error.code, 'EACCES');
      assert.match(error.message, /permission denied/);
      return;
    }
    // root reads a mode-000 file anyway: ask an unprivileged child (nobody, 65534) to parse it.
    chmodSync(dir, 0o755);
    // A bundle beside the file: the child needs no access to the checkout (which may sit in a 0700 folder).
    const bundle = join(dir, 'parse-pe.mjs');
    buildSync({ entryPoints: [PARSE_PE], bundle: true, platform: 'node', format: 'esm', outfile: bundle, logLevel: 'error' });
    const script = `import { parsePeFile } from ${JSON.stringify(bundle)};
try { parsePeFile(${JSON.stringify(path)}); console.log(JSON.stringify({ parsed: true })); }
catch (e) { console.log(JSON.stringify({ name: e.name, code: e.code, message: e.message })); }`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      uid: 65534, gid: 65534, cwd: dir, env: { ...process.env, HOME: '/tmp' }, encoding: 'utf8',
    });
    if (child.error || child.status !== 0) return t.skip(`cannot run a child as nobody: ${child.error?.message ?? child.stderr}`);
    const result = JSON.parse(child.stdout.trim().split('\n').pop()!);
    assert.equal(result.name, 'FileAccessError');
    assert.equal(result.code, 'EACCES');
    assert.match(result.message, /permission denied/);
  });
});
