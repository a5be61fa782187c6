import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, removeDir, WINE_DLLS } from './test-support/build-fixture.ts';
import { isApiSetName, loadApiSetSchema, parseApiSetNamespace, resolveApiSet, type ApiSetSchema } from './api-set-schema.ts';
import { ModuleLocator } from './module-locator.ts';
import { defaultLoadContext } from './default-load-context.ts';

const SCHEMAS = { x64: join(WINE_DLLS.x64, 'apisetschema.dll'), x86: join(WINE_DLLS.x86, 'apisetschema.dll') };

/*
 * An independent decoding of the same files: pefile finds the .apiset section, and lookups go
 * through the namespace's hash table (ntdll's way: hash = hash * HashFactor + lowercase char
 * over the hashed part, binary search of {Hash, Index} pairs), not a map of names as ours does.
 */
const ORACLE = String.raw`
import json, struct, sys, pefile
path, queries = sys.argv[1], json.loads(sys.argv[2])
pe = pefile.PE(path, fast_load=True)
data = [s for s in pe.sections if s.Name.rstrip(b'\0') == b'.apiset'][0].get_data()
version, size, flags, count, entry_off, hash_off, factor = struct.unpack_from('<7I', data, 0)
def text(off, length): return data[off:off + length].decode('utf-16-le')
def entry(i):
    f, name_off, name_len, hashed_len, value_off, value_count = struct.unpack_from('<6I', data, entry_off + 24 * i)
    values = [struct.unpack_from('<5I', data, value_off + 20 * v) for v in range(value_count)]
    return text(name_off, name_len).lower(), hashed_len, [(text(v[1], v[2]).lower(), text(v[3], v[4])) for v in values]
def lookup(name):
    bare = name.lower()[:-4] if name.lower().endswith('.dll') else name.lower()
    hashed = bare[:bare.rfind('-')]
    h = 0
    for c in hashed: h = (h * factor + ord(c)) & 0xffffffff
    lo, hi = 0, count - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        mh, index = struct.unpack_from('<2I', data, hash_off + 8 * mid)
        if h < mh: hi = mid - 1
        elif h > mh: lo = mid + 1
        else:
            n, hl, values = entry(index)
            if n[:hl // 2] != hashed: return None
            default = [host for imp, host in values if imp == '']
            return (default or [values[0][1] if values else ''])[0]
    return None
entries = {}
for i in range(count):
    n, hl, values = entry(i)
    entries[n] = [host for imp, host in values if imp == '']
print(json.dumps({'version': version, 'count': count, 'entries': entries, 'lookups': {q: lookup(q) for q in queries}}))
`;

interface Oracle {
  version: number;
  count: number;
  entries: Record<string, string[]>;
  lookups: Record<string, string | null>;
}

function oracle(path: string, queries: string[]): Oracle | string {
  const run = spawnSync('/usr/bin/python3', ['-c', ORACLE, path, JSON.stringify(queries)], { encoding: 'utf8' });
  if (run.error || run.status !== 0) return `/usr/bin/python3 with pefile not usable: ${run.error?.message ?? run.stderr.trim().split('\n').pop()}`;
  return JSON.parse(run.stdout) as Oracle;
}

const QUERIES = ['api-ms-win-core-synch-l1-2-0.dll', 'api-ms-win-core-file-l1-1-0.dll', 'api-ms-win-crt-runtime-l1-1-0.dll', 'API-MS-WIN-CORE-PROCESSTHREADS-L1-1-2.DLL', 'api-ms-win-core-heap-l2-1-0.dll', 'ext-ms-win-ntuser-window-l1-1-0.dll'];

describe('Wine\'s apisetschema.dll', () => {
  for (const arch of ['x64', 'x86'] as const) {
    test(`${arch}: api-ms-win-core-synch-l1-2-0 resolves to kernelbase.dll, with or without .dll, any case`, () => {
      const schema = loadApiSetSchema(SCHEMAS[arch]);
      assert.equal(schema.version, 6);
      assert.equal(resolveApiSet(schema, 'api-ms-win-core-synch-l1-2-0', null), 'kernelbase.dll');
      assert.equal(resolveApiSet(schema, 'API-MS-Win-Core-Synch-L1-2-0.DLL', 'root.dll'), 'kernelbase.dll');
    });

    test(`${arch}: every entry and a sample of lookups agree with an independent pefile decoding (hash-table lookup)`, (t) => {
      const expected = oracle(SCHEMAS[arch], QUERIES);
      if (typeof expected === 'string') {
        t.skip(expected);
        return;
      }
      assert.ok(Object.values(expected.lookups).every(Boolean), 'the oracle resolves every sample name');
      const schema = loadApiSetSchema(SCHEMAS[arch]);
      assert.equal(schema.version, expected.version);
      assert.equal(schema.entries.size, expected.count);
      const ours = Object.fromEntries([...schema.entries.values()].map((e) => [e.name, e.hosts.filter((h) => h.importer === null).map((h) => h.host)]));
      assert.deepEqual(ours, expected.entries);
      for (const query of QUERIES) assert.equal(resolveApiSet(schema, query, null) ?? null, expected.lookups[query] || null, query);
    });
  }

  test('a higher minor revision finds the contract (-l1-2-1 -> -l1-2-0); an unknown set is undefined', () => {
    const schema = loadApiSetSchema(SCHEMAS.x64);
    assert.equal(resolveApiSet(schema, 'api-ms-win-core-synch-l1-2-9.dll', null), 'kernelbase.dll');
    assert.equal(resolveApiSet(schema, 'api-ms-win-no-such-thing-l1-1-0.dll', null), undefined);
    assert.equal(resolveApiSet(schema, 'api.dll', null), undefined);
  });

  test('a file without a .apiset section is refused with a reason', () => {
    assert.throws(() => loadApiSetSchema(join(WINE_DLLS.x64, 'kernel32.dll')), /no \.apiset section/);
  });
});

describe('isApiSetName', () => {
  test('api- and ext- contracts are virtual names, whatever the case; other DLLs are not', () => {
    for (const name of ['api-ms-win-core-synch-l1-2-0.dll', 'API-MS-WIN-CRT-RUNTIME-L1-1-0.DLL', 'ext-ms-win-gdi-draw-l1-1-0.dll']) assert.equal(isApiSetName(name), true, name);
    for (const name of ['kernel32.dll', 'myapi-ms.dll', 'apisetschema.dll', 'external.dll']) assert.equal(isApiSetName(name), false, name);
  });
});

/** A version 6 namespace built by hand: entries of [name, hashedLength, hosts]. */
function namespace(entries: [string, number, [string, string][]][]): Buffer {
  const strings: Buffer[] = [];
  let stringsAt = 28 + entries.length * 24 + entries.reduce((n, e) => n + e[2].length * 20, 0);
  const place = (s: string): [number, number] => {
    const b = Buffer.from(s, 'utf16le');
    strings.push(b);
    stringsAt += b.length;
    return [stringsAt - b.length, b.length];
  };
  const header = Buffer.alloc(28);
  header.writeUInt32LE(6, 0);
  header.writeUInt32LE(entries.length, 12);
  header.writeUInt32LE(28, 16);
  const table = Buffer.alloc(entries.length * 24);
  const values: Buffer[] = [];
  let valueAt = 28 + table.length;
  entries.forEach(([name, hashed, hosts], i) => {
    const [off, len] = place(name);
    table.writeUInt32LE(off, i * 24 + 4);
    table.writeUInt32LE(len, i * 24 + 8);
    table.writeUInt32LE(hashed * 2, i * 24 + 12);
    table.writeUInt32LE(valueAt, i * 24 + 16);
    table.writeUInt32LE(hosts.length, i * 24 + 20);
    for (const [importer, host] of hosts) {
      const v = Buffer.alloc(20);
      [[importer, 4], [host, 12]].forEach(([s, at]) => {
        const [o, l] = s === '' ? [0, 0] : place(s as string);
        v.writeUInt32LE(o, (at as number));
        v.writeUInt32LE(l, (at as number) + 4);
      });
      values.push(v);
      valueAt += 20;
    }
  });
  return Buffer.concat([header, table, ...values, ...strings]);
}

describe('parseApiSetNamespace', () => {
  const name = 'api-ms-win-test-l1-1-0';
  const hashed = name.lastIndexOf('-');

  test('an importer-specific host wins for that importer only; the default serves the rest', () => {
    const schema = parseApiSetNamespace(namespace([[name, hashed, [['', 'default.dll'], ['Special.dll', 'special.dll']]]]));
    assert.equal(resolveApiSet(schema, `${name}.dll`, 'SPECIAL.DLL'), 'special.dll');
    assert.equal(resolveApiSet(schema, `${name}.dll`, 'other.dll'), 'default.dll');
    assert.equal(resolveApiSet(schema, `${name}.dll`, null), 'default.dll');
  });

  test('a contract without hosts is known but empty (null), unlike an unknown one (undefined)', () => {
    const schema = parseApiSetNamespace(namespace([[name, hashed, []]]));
    assert.equal(resolveApiSet(schema, name, null), null);
    assert.equal(resolveApiSet(schema, 'api-ms-win-other-l1-1-0', null), undefined);
  });

  test('malformed buffers are refused with a message, never an unchecked read (RangeError/TypeError)', () => {
    const good = namespace([[name, hashed, [['', 'default.dll']]]]);
    const cases: Buffer[] = [Buffer.alloc(0), Buffer.alloc(27), good.subarray(0, 40), good.subarray(0, good.length - 4)];
    const version = Buffer.from(good); version.writeUInt32LE(2, 0); cases.push(version);
    const count = Buffer.from(good); count.writeUInt32LE(0xffffffff, 12); cases.push(count);
    const entryOff = Buffer.from(good); entryOff.writeUInt32LE(0xfffffff0, 16); cases.push(entryOff);
    const nameOff = Buffer.from(good); nameOff.writeUInt32LE(0x7ffffff0, 28 + 4); cases.push(nameOff);
    const valueOff = Buffer.from(good); valueOff.writeUInt32LE(0xffffff00, 28 + 16); cases.push(valueOff);
    const valueCount = Buffer.from(good); valueCount.writeUInt32LE(0xffffffff, 28 + 20); cases.push(valueCount);
    // Random garbage behind a valid version number.
    let seed = 7;
    for (let i = 0; i < 200; i++) {
      const junk = Buffer.alloc(28 + (i % 64) * 8);
      for (let j = 0; j < junk.length; j++) junk[j] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
      junk.writeUInt32LE(6, 0);
      cases.push(junk);
    }
    for (const buffer of cases) {
      try {
        parseApiSetNamespace(buffer);
      } catch (error) {
        assert.equal((error as Error).constructor, Error, `${(error as Error).name}: ${(error as Error).message}`);
      }
    }
  });

  test('a large but consistent value count is bounded, not trusted', () => {
    const many = Array.from({ length: 100 }, (_, i): [string, string] => [`imp${i}.dll`, `host${i}.dll`]);
    const schema: ApiSetSchema = parseApiSetNamespace(namespace([[name, hashed, [['', 'default.dll'], ...many]]]));
    assert.ok(schema.entries.get(name.slice(0, hashed))!.hosts.length < 101);
  });
});

describe('a malformed apisetschema.dll in System32', () => {
  let dir: string;
  before(() => {
    dir = makeTempDir('apiset');
  });
  after(() => removeDir(dir));

  test('the locator does not throw: API sets are unresolved with the reason', () => {
    const system32 = join(dir, 'windows', 'system32');
    mkdirSync(system32, { recursive: true });
    // Wine's kernel32.dll in the name of the schema: a PE without a .apiset section.
    copyFileSync(join(WINE_DLLS.x64, 'kernel32.dll'), join(system32, 'apisetschema.dll'));
    const root = join(dir, 'root.dll');
    writeFileSync(root, '');
    const locator = new ModuleLocator(defaultLoadContext(root, 'x64', { windowsDir: join(dir, 'windows') }), root);
    assert.equal(locator.apiSets.schema, null);
    assert.match((locator.apiSets as { reason: string }).reason, /no \.apiset section/);
    assert.equal(locator.locate('api-ms-win-core-synch-l1-2-0.dll', 'root.dll').strategy, 'api-set-unresolved');
  });
});
