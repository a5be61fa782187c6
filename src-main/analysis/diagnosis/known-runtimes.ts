import type { HostArch } from '../resolver/load-context.ts';

/** A runtime a module belongs to, and what gets it onto a customer's machine. */
export interface KnownRuntime {
  /** e.g. "Microsoft Visual C++ 2015-2022 Redistributable". */
  runtime: string;
  /** The action for a customer, for the host's bitness. */
  fix: (host: HostArch) => string;
  /** A debug runtime: never redistributable, so the module is a debug build. */
  debug?: boolean;
  /** Provided by the host process (node.exe for a Node addon), not installed. */
  hostProvided?: boolean;
}

const ARCH_LABEL: Record<HostArch, string> = { x86: 'x86', x64: 'x64' };

const vcRedist = (year: string, url: (arch: string) => string): KnownRuntime => ({
  runtime: `Microsoft Visual C++ ${year} Redistributable`,
  fix: (host) => `Install the Microsoft Visual C++ ${year} Redistributable (${ARCH_LABEL[host]}) (${url(ARCH_LABEL[host])}), or ship its DLLs next to the application (app-local deployment).`,
});

const VC14 = vcRedist('2015-2022', (arch) => `https://aka.ms/vs/17/release/vc_redist.${arch}.exe`);
const LEGACY_VC: Record<string, KnownRuntime> = {
  '120': vcRedist('2013', (arch) => `https://aka.ms/highdpimfc2013${arch}enu`),
  '110': vcRedist('2012 Update 4', () => 'https://www.microsoft.com/download/details.aspx?id=30679'),
  '100': vcRedist('2010 SP1', () => 'https://www.microsoft.com/download/details.aspx?id=26999'),
  '90': vcRedist('2008 SP1', () => 'https://www.microsoft.com/download/details.aspx?id=26368'),
  '80': vcRedist('2005 SP1', () => 'https://www.microsoft.com/download/details.aspx?id=26347'),
};

const DEBUG_RUNTIME: KnownRuntime = {
  runtime: 'Visual C++ debug runtime',
  debug: true,
  fix: () => 'This is a Debug build: Visual C++ debug runtimes are not redistributable and exist only where Visual Studio is installed. Ask the vendor for the Release build (or rebuild it in the Release configuration).',
};

const UCRT: KnownRuntime = {
  runtime: 'Universal C Runtime (UCRT)',
  fix: (host) => `The Universal C Runtime is part of Windows 10 and later; on Windows 7/8.1 install update KB2999226 or the Microsoft Visual C++ 2015-2022 Redistributable (${ARCH_LABEL[host]}).`,
};

const DIRECTX: KnownRuntime = {
  runtime: 'DirectX End-User Runtime (June 2010)',
  fix: () => 'Install the DirectX End-User Runtime (June 2010, https://www.microsoft.com/download/details.aspx?id=8109): the D3DX, XInput 1.3, XAudio 2.7 and D3DCompiler_43 DLLs are not part of Windows.',
};

const DOTNET_FRAMEWORK: KnownRuntime = {
  runtime: '.NET Framework',
  fix: () => 'Enable or install the .NET Framework (Windows Features: .NET Framework 3.5 / 4.8).',
};

const DOTNET: KnownRuntime = {
  runtime: '.NET runtime',
  fix: (host) => `Install the .NET (Desktop) Runtime the application targets (${ARCH_LABEL[host]}), from https://dotnet.microsoft.com/download/dotnet.`,
};

const MINGW: KnownRuntime = {
  runtime: 'MinGW/GCC runtime',
  fix: (host) => `Ship the ${host === 'x86' ? '32-bit' : '64-bit'} MinGW runtime DLLs (libgcc_s_*, libstdc++-6, libwinpthread-1) from the same toolchain next to the application, or have the vendor link them statically (-static-libgcc -static-libstdc++).`,
};

const NODE_HOST: KnownRuntime = {
  runtime: 'Node.js host process',
  hostProvided: true,
  fix: () => 'This is a Node.js addon: node.exe (or node.dll in Electron) provides these exports when the addon is loaded by Node with require(). Check it in its real host with --host-exe path/to/node.exe; it is not meant to be loaded by other programs.',
};

const QT: KnownRuntime = {
  runtime: 'Qt runtime',
  fix: () => 'Deploy the Qt DLLs the application was built with next to it (windeployqt does this, including the platforms/qwindows.dll plug-in); the Qt major version and compiler (MSVC or MinGW) must match.',
};

const PYTHON: KnownRuntime = {
  runtime: 'Python runtime',
  fix: (host) => `Install the Python version this module was built for (${host === 'x86' ? '32-bit' : '64-bit'}), or ship its embeddable package next to the application; an extension module (.pyd) is loaded by that Python, not by other programs.`,
};

const JAVA: KnownRuntime = {
  runtime: 'Java runtime (JVM)',
  fix: (host) => `jvm.dll lives in a JRE/JDK's bin\\server folder, which is not on the search path: install a ${host === 'x86' ? '32-bit' : '64-bit'} Java runtime and add that folder (--search-dir or --path-dir to check), or start the program through the Java launcher.`,
};

const OPENSSL: KnownRuntime = {
  runtime: 'OpenSSL libraries',
  fix: (host) => `Ship the ${host === 'x86' ? '32-bit' : '64-bit'} OpenSSL DLLs of the version the module was built against (libcrypto/libssl, same major version) next to the application.`,
};

const EXACT: Record<string, KnownRuntime> = {
  'jvm.dll': JAVA,
  'ucrtbase.dll': UCRT,
  'ucrtbased.dll': DEBUG_RUNTIME,
  'mscoree.dll': DOTNET_FRAMEWORK,
  'hostfxr.dll': DOTNET,
  'hostpolicy.dll': DOTNET,
  'coreclr.dll': DOTNET,
  'node.exe': NODE_HOST,
  'node.dll': NODE_HOST,
  'libwinpthread-1.dll': MINGW,
  'libstdc++-6.dll': MINGW,
};

const VC14_NAME = /^(vcruntime140(_1)?|msvcp140(_\d|_atomic_wait|_codecvt_ids)?|concrt140|vccorlib140|vcomp140|vcamp140|mfcm?140u?|mfc140[a-z]{3})(d)?\.dll$/;
const LEGACY_VC_NAME = /^(msvc[rp]|mfcm?|atl|vcomp|msvcm)(120|110|100|90|80)(u)?(d)?\.dll$/;
const DIRECTX_NAME = /^(d3dx9_\d+|d3dx10(_\d+)?|d3dx11_\d+|d3dcompiler_(3\d|4[0-3])|xinput1_[123]|xaudio2_[0-7]|x3daudio1_\d|xactengine\d_\d|xapofx1_\d)\.dll$/;

/** The runtime a module name belongs to, or null for names Thunk does not recognise. */
export function knownRuntime(moduleName: string): KnownRuntime | null {
  const name = moduleName.toLowerCase();
  if (EXACT[name]) return EXACT[name];
  const vc14 = VC14_NAME.exec(name);
  if (vc14) return vc14[4] ? DEBUG_RUNTIME : VC14;
  const legacy = LEGACY_VC_NAME.exec(name);
  if (legacy) return legacy[4] ? DEBUG_RUNTIME : LEGACY_VC[legacy[2]!]!;
  if (name.startsWith('api-ms-win-crt-')) return UCRT;
  if (DIRECTX_NAME.test(name)) return DIRECTX;
  if (/^libgcc_s_(dw2|seh|sjlj)-1\.dll$/.test(name)) return MINGW;
  if (/^qt[56](core|gui|widgets|network|qml|quick|sql|xml|svg|printsupport|opengl|multimedia|concurrent)d?\.dll$/.test(name)) return QT;
  if (/^python3\d{0,2}(_d)?\.dll$/.test(name)) return PYTHON;
  if (/^lib(crypto|ssl)-(1_1|3)(-x64)?\.dll$/.test(name)) return OPENSSL;
  return null;
}

/** The redistributable for a legacy side-by-side assembly (Microsoft.VC80/VC90.CRT, MFC, ATL, OpenMP). */
export function sxsRuntime(assemblyName: string): KnownRuntime | null {
  const match = /^microsoft\.vc(80|90)\.(debug)?(crt|mfc|mfcloc|atl|openmp)$/i.exec(assemblyName);
  if (!match) return null;
  if (match[2]) return DEBUG_RUNTIME;
  return LEGACY_VC[match[1]!]!;
}
