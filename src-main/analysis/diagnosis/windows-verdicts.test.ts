// The loader cases whose verdict must be what Windows does, on MinGW-built fixture DLLs and
// programs (fixtures/dlls) against Wine's DLLs arranged as a Windows folder.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FIXTURE_ARCHES, fixtureDir, fixturePath } from '../../test-support/fixtures.ts';
import { WINE_DLLS, buildDll, makeTempDir, removeDir, wineWindowsDir } from '../resolver/test-support/build-fixture.ts';
import { libFor, simpleDll } from '../resolver/test-support/scenarios.ts';
import { rawLayout } from '../resolver/test-support/patch-pe.ts';
import type { HostArch } from '../resolver/load-context.ts';
import { diagnose, type DiagnoseOptions } from './diagnose.ts';

let dir: string;
let windowsDir: string;

before(() => {
  dir = makeTempDir('verdicts');
  windowsDir = wineWindowsDir(dir);
});
after(() => removeDir(dir));

const BITS = { x86: '32-bit', x64: '64-bit' } as const;

function judge(path: string, host: HostArch, options: Partial<DiagnoseOptions> = {}) {
  const d = diagnose(path, { hosts: [host], windowsDir, ...options });
  return { d, v: d.verdicts[host]!, root: d.findings.find((f) => f.rootCause) };
}

/** A copy of a fixture in its own folder (with the files named), so tests can add or damage files. */
function copyApp(label: string, arch: HostArch, names: string[]): string {
  const app = join(dir, `${label}-${arch}`);
  mkdirSync(app, { recursive: true });
  for (const name of names) copyFileSync(fixturePath(name, arch), join(app, name));
  return app;
}

for (const arch of FIXTURE_ARCHES) {
  describe(`${BITS[arch]} fixtures`, () => {
    test('an import by ordinal that the DLL lacks: 182 ERROR_INVALID_ORDINAL naming the ordinal and the module', () => {
      const { v, root } = judge(fixturePath('needs-missing-ordinal', arch), arch);
      assert.equal(v.error!.code, 182);
      assert.equal(v.error!.name, 'ERROR_INVALID_ORDINAL');
      assert.match(v.rootCause!, /^ordinal 99 not found in forward-target\.dll/);
      assert.equal(root!.code, 'THK-MISSING-EXPORT');
      assert.match(root!.title, /Ordinal 99 not found in forward-target\.dll/);
      assert.match(root!.fix, /version of forward-target\.dll/);
    });

    test('ntdll, kernel32 and kernelbase are never "not found": with dll-load-dir alone, VERSION.dll is the root cause and the fix names the flag', () => {
      const { d, v, root } = judge(fixturePath('needs-system-dll', arch), arch, { loadMethod: 'search-flags', searchFlags: ['dll-load-dir'] });
      assert.equal(v.error!.code, 126);
      assert.match(v.rootCause!, /^VERSION\.dll not found/i);
      assert.ok(!d.findings.some((f) => /kernel32|kernelbase|ntdll/i.test(f.title)), d.findings.map((f) => f.title).join('\n'));
      assert.match(root!.fix, /LOAD_LIBRARY_SEARCH_SYSTEM32/);
      assert.match(root!.fix, /--search-flag system32/);
      assert.doesNotMatch(root!.fix, /application folder/);
    });

    test('a file cut short (an interrupted download): 193 in every host, with the damage named and keeping the partial results', () => {
      const original = readFileSync(fixturePath('calling-conventions', arch));
      const cut = join(dir, `truncated-${arch}.dll`);
      writeFileSync(cut, original.subarray(0, Math.floor(original.length * 0.6)));
      const d = diagnose(cut, { hosts: ['x86', 'x64'], windowsDir });
      for (const host of ['x86', 'x64'] as const) assert.equal(d.verdicts[host]!.error!.code, 193, host);
      assert.match(d.verdicts[arch]!.rootCause!, /damaged/);
      const root = d.findings.find((f) => f.rootCause)!;
      assert.equal(root.code, 'THK-DAMAGED-IMAGE');
      assert.ok(root.evidence.some((e) => /section \S+ needs file bytes up to/.test(e)), root.evidence.join('\n'));
      assert.match(root.fix, /Get the file again/);
      assert.ok(!d.findings.some((f) => f.code === 'THK-MALFORMED'), 'the damage is said once');
      assert.equal(d.image.machine, arch);
    });

    test('a damaged copy of a dependency is passed over like a wrong-bitness one: 193 when it is the only copy', () => {
      const app = copyApp('damaged-dep', arch, ['needs-missing-dep.dll']);
      const dep = readFileSync(join(dirname(dirname(fixturePath('needs-missing-dep', arch))), '..', 'fixtures-work', arch, 'missing-dep.dll'));
      writeFileSync(join(app, 'missing-dep.dll'), dep.subarray(0, dep.length - 700));
      const { v, root } = judge(join(app, 'needs-missing-dep.dll'), arch);
      assert.equal(v.error!.code, 193);
      assert.match(v.rootCause!, /^only damaged copies of missing-dep\.dll found/);
      assert.ok(root!.evidence.some((e) => e.startsWith(`${join(app, 'missing-dep.dll')}: damaged: section`)), root!.evidence.join('\n'));
      assert.match(root!.fix, /Replace the damaged missing-dep\.dll/);
    });

    test('SizeOfImage smaller than the sections: 193', () => {
      const file = readFileSync(fixturePath('calling-conventions', arch));
      file.writeUInt32LE(0x1000, rawLayout(file).optionalOffset + 56);
      const patched = join(dir, `small-image-${arch}.dll`);
      writeFileSync(patched, file);
      const { v, root } = judge(patched, arch);
      assert.equal(v.error!.code, 193);
      assert.match(root!.evidence.join('\n'), /SizeOfImage 0x1000 is smaller/);
    });

    test('a forwarder to a missing module: 126 naming the module with its extension and the forwarder', () => {
      const { d, v, root } = judge(fixturePath('needs-forwarder-to-missing', arch), arch);
      assert.equal(v.error!.code, 126);
      assert.match(v.rootCause!, /^absent-module\.dll not found \(needs-forwarder-to-missing\.dll → forwards-to-missing\.dll → absent-module\.dll; forwarder forwards-to-missing\.dll: Gone → absent-module\.Gone\)/);
      assert.equal(root!.code, 'THK-MISSING-DEPENDENCY');
      assert.ok(root!.evidence.includes('forwarder: forwards-to-missing.dll: Gone → absent-module.Gone'));
      assert.ok(!d.findings.some((f) => f.code === 'THK-MISSING-EXPORT'));
    });

    test('a program with a missing DLL does not start: 0xC0000135 with the message naming the DLL', () => {
      const { v, root } = judge(fixturePath('app-needs-missing-dep.exe', arch), arch);
      assert.equal(v.error!.code, 0xc0000135);
      assert.equal(v.error!.name, 'STATUS_DLL_NOT_FOUND');
      assert.match(v.error!.message, /^The code execution cannot proceed because missing-dep\.dll was not found\./);
      assert.match(root!.explanation, /the program does not start/);
      assert.doesNotMatch(root!.explanation, /LoadLibrary/);
    });

    test('a missing function from a Windows DLL: 127, the DLL needs a newer Windows', () => {
      const { v, root } = judge(fixturePath('needs-newer-windows', arch), arch);
      assert.equal(v.error!.code, 127);
      assert.match(v.rootCause!, /^ThunkFutureApi not found in kernel32\.dll/i);
      assert.match(root!.fix, /needs a newer Windows than the one examined/);
    });

    test('a manifest dependency on the missing Microsoft.VC90.CRT: 14001 blocking, naming the assembly, where it was looked for and the VC++ 2008 redistributable', () => {
      const withSxs = join(dir, `sxs-windows-${arch}`, 'windows');
      mkdirSync(join(withSxs, 'winsxs', 'Manifests'), { recursive: true });
      const systemDir = join(withSxs, arch === 'x64' ? 'system32' : 'syswow64');
      mkdirSync(systemDir, { recursive: true });
      copyFileSync(join(WINE_DLLS[arch], 'kernel32.dll'), join(systemDir, 'kernel32.dll'));
      for (const [name, id] of [['sxs-vc90', 'DLL'], ['app-sxs-vc90.exe', 'program']] as const) {
        const { v, root } = judge(fixturePath(name, arch), arch, { windowsDir: withSxs });
        assert.equal(v.error!.code, 14001, id);
        assert.equal(v.error!.name, 'ERROR_SXS_CANT_GEN_ACTCTX');
        assert.match(v.rootCause!, new RegExp(`Microsoft\\.VC90\\.CRT 9\\.0\\.21022\\.8 \\(${arch === 'x64' ? 'amd64' : 'x86'}, publicKeyToken 1fc8b3b9a1e18e3b\\)`));
        assert.equal(root!.code, 'THK-SXS-NOT-FOUND');
        assert.ok(root!.evidence.some((e) => e.includes(join(withSxs, 'winsxs', `${arch === 'x64' ? 'amd64' : 'x86'}_microsoft.vc90.crt_1fc8b3b9a1e18e3b_9.0.21022.8_*`))), root!.evidence.join('\n'));
        assert.ok(root!.evidence.some((e) => e.endsWith('Microsoft.VC90.CRT.manifest')));
        assert.match(root!.fix, /Visual C\+\+ 2008 SP1 Redistributable \(x(86|64)\)/);
      }
    });

    test('a DLL whose manifest has the program\'s resource ID (1): LoadLibrary ignores it, so it loads', () => {
      assert.equal(judge(fixturePath('sxs-vc90-id1', arch), arch).v.loads, true);
    });

    test('a program with an external app.exe.manifest on the missing assembly: 14001', () => {
      const app = copyApp('external-manifest', arch, ['host-app.exe']);
      assert.equal(judge(join(app, 'host-app.exe'), arch).v.loads, true);
      const manifest = readFileSync(join(dirname(dirname(dirname(fixtureDir(arch)))), 'fixtures', 'dlls', `sxs-vc90.${arch === 'x64' ? 'amd64' : 'x86'}.manifest`));
      writeFileSync(join(app, 'host-app.exe.manifest'), manifest);
      const { v } = judge(join(app, 'host-app.exe'), arch);
      assert.equal(v.error!.code, 14001);
      assert.match(v.rootCause!, /Microsoft\.VC90\.CRT/);
    });

    test('the assembly shipped as a private assembly in the application folder: it loads', () => {
      const app = copyApp('sxs-private', arch, ['sxs-vc90.dll']);
      writeFileSync(join(app, 'Microsoft.VC90.CRT.manifest'), '<assembly xmlns="urn:schemas-microsoft-com:asm.v1" manifestVersion="1.0"><assemblyIdentity type="win32" name="Microsoft.VC90.CRT" version="9.0.21022.8"/><file name="msvcr90.dll"/></assembly>');
      assert.equal(judge(join(app, 'sxs-vc90.dll'), arch).v.loads, true);
    });

    test('an application-local copy of a Windows DLL shadowing the system one: loads, with a warning', () => {
      const app = copyApp('shadow', arch, ['needs-system-dll.dll']);
      copyFileSync(join(WINE_DLLS[arch], 'version.dll'), join(app, 'version.dll'));
      const { d, v } = judge(join(app, 'needs-system-dll.dll'), arch);
      assert.equal(v.loads, true);
      const shadow = d.findings.find((f) => f.code === 'THK-SYSTEM-DLL-SHADOWED')!;
      assert.equal(shadow.severity, 'warning');
      assert.ok(shadow.evidence.includes(`loaded: ${join(app, 'version.dll')}`));
      assert.match(shadow.fix, /Remove VERSION\.dll/i);
    });
  });
}

describe('programs are judged for starting their own process', () => {
  test('a 32-bit program in the 64-bit view: not for this host, no error, no blocking finding', () => {
    const d = diagnose(fixturePath('host-app.exe', 'x86'), { hosts: ['x86', 'x64'], windowsDir });
    assert.equal(d.verdicts.x86!.loads, true);
    assert.equal(d.verdicts.x64!.builtForHost, false);
    assert.equal(d.verdicts.x64!.error, null);
    assert.ok(!d.findings.some((f) => f.severity === 'error'));
  });

  test('a 64-bit program on 32-bit Windows: 216, "This app can\'t run on your PC"', () => {
    const v = diagnose(fixturePath('host-app.exe', 'x64'), { hosts: ['x86'], windowsDir }).verdicts.x86!;
    assert.equal(v.error!.code, 216);
    assert.match(v.error!.message, /This app can't run on your PC/);
  });
});

describe('well-known runtimes get their real fix', () => {
  const cases: [string, RegExp][] = [
    ['vcruntime140d.dll', /Debug build.*not redistributable/],
    ['ucrtbased.dll', /Debug build/],
    ['msvcp140.dll', /Visual C\+\+ 2015-2022 Redistributable \(x64\)/],
    ['msvcr100.dll', /Visual C\+\+ 2010 SP1 Redistributable/],
    ['d3dx9_43.dll', /DirectX End-User Runtime/],
    ['node.exe', /--host-exe/],
    ['Qt5Core.dll', /windeployqt/],
    ['python311.dll', /Python version this module was built for \(64-bit\)/],
    ['jvm.dll', /bin\\server folder/],
    ['libcrypto-3-x64.dll', /OpenSSL DLLs/],
    ['hostfxr.dll', /\.NET \(Desktop\) Runtime/],
  ];
  for (const [module, fix] of cases) {
    test(`a missing ${module}: ${fix.source}`, () => {
      const folder = join(dir, `runtime-${module}`);
      const root = simpleDll('x64', join(folder, 'uses-runtime.dll'), [], [{ lib: libFor('x64', join(dir, 'libs', module), module, ['ThunkRuntimeFn']), names: ['ThunkRuntimeFn'] }]);
      // No Windows folder: Wine ships its own msvcp140, msvcr100 and d3dx9 (a Windows folder would not).
      const { v, root: cause } = judge(root, 'x64', { windowsDir: null });
      assert.equal(v.error!.code, 126);
      assert.match(cause!.fix, fix);
    });
  }
});

describe('a module the host process provides', () => {
  for (const arch of FIXTURE_ARCHES) {
    test(`a ${BITS[arch]} Node addon delay-loading node.exe: explained as the host's, checked in its real host with --host-exe`, () => {
      const app = join(dir, `node-host-${arch}`);
      const addon = simpleDll(arch, join(app, 'addon', 'addon.node.dll'), [], [{ lib: libFor(arch, join(dir, 'libs', `node-${arch}`), 'node.exe', ['napi_module_register'], true), names: ['napi_module_register'] }], ['node.exe']);
      const alone = judge(addon, arch);
      assert.equal(alone.v.loads, true);
      const delay = alone.d.findings.find((f) => f.code === 'THK-DELAY-LOAD-MISSING')!;
      assert.match(delay.explanation, /Node\.js host process/);
      assert.match(delay.fix, /--host-exe path\/to\/node\.exe/);
      // The host: a program exporting what addons import, as node.exe does.
      const node = buildDll({ arch, out: join(app, 'node.exe'), exe: true, source: '__declspec(dllexport) int napi_module_register(void) { return 0; }\nint main(void) { return napi_module_register(); }\n' });
      const hosted = judge(addon, arch, { hostExecutable: node });
      assert.equal(hosted.v.loads, true);
      assert.ok(!hosted.d.findings.some((f) => f.code.startsWith('THK-DELAY-LOAD')), hosted.d.findings.map((f) => f.title).join('\n'));
      // The host program is in the process before any DLL: found even where the search path does not look.
      const flagged = judge(addon, arch, { hostExecutable: node, loadMethod: 'search-flags', searchFlags: ['dll-load-dir', 'system32'] });
      assert.ok(!flagged.d.findings.some((f) => f.code.startsWith('THK-DELAY-LOAD')), flagged.d.findings.map((f) => f.title).join('\n'));
    });
  }
});

describe('the fix follows the load context', () => {
  test('LOAD_WITH_ALTERED_SEARCH_PATH from another application folder: put it beside the DLL, not in the application folder', () => {
    const app = join(dir, 'elsewhere');
    mkdirSync(app, { recursive: true });
    const dll = fixturePath('needs-missing-dep', 'x64');
    const { root } = judge(dll, 'x64', { applicationDir: app, loadMethod: 'altered-search-path' });
    assert.match(root!.fix, /in the DLL's own folder .*fixtures\/x64/);
    assert.match(root!.fix, /does not search the application folder/);
    assert.match(judge(dll, 'x64', { applicationDir: app }).root!.fix, new RegExp(`in the application folder ${app}`));
  });
});
