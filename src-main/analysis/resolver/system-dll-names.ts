import { DEFAULT_KNOWN_DLLS } from './known-dlls.ts';

/**
 * DLLs every supported Windows (10/11) ships in System32. Used only when no Windows folder is
 * known: an import of one of these is reported "not checked" rather than "missing". The list
 * leaves out redistributables (vcruntime140.dll, msvcp140.dll, d3dx9_43.dll, ...), which an
 * application must bring itself; ucrtbase.dll is in since Windows 10 ships it.
 */
const SYSTEM_DLLS: readonly string[] = [
  ...DEFAULT_KNOWN_DLLS,
  'kernelbase.dll', 'ucrtbase.dll', 'comctl32.dll', 'winmm.dll', 'version.dll', 'winspool.drv', 'winhttp.dll',
  'wininet.dll', 'crypt32.dll', 'bcrypt.dll', 'ncrypt.dll', 'secur32.dll', 'sspicli.dll', 'userenv.dll', 'netapi32.dll',
  'iphlpapi.dll', 'dnsapi.dll', 'mswsock.dll', 'wsock32.dll', 'dbghelp.dll', 'dwmapi.dll', 'uxtheme.dll', 'dxgi.dll',
  'd3d9.dll', 'd3d10.dll', 'd3d11.dll', 'd3d12.dll', 'd2d1.dll', 'dwrite.dll', 'ddraw.dll', 'dsound.dll', 'dinput8.dll',
  'opengl32.dll', 'glu32.dll', 'hid.dll', 'cfgmgr32.dll', 'powrprof.dll', 'wintrust.dll', 'msimg32.dll', 'oledlg.dll',
  'olepro32.dll', 'urlmon.dll', 'mpr.dll', 'wtsapi32.dll', 'msi.dll', 'mscoree.dll', 'propsys.dll', 'dbgeng.dll',
  'avrt.dll', 'mfplat.dll', 'mf.dll', 'mfreadwrite.dll', 'evr.dll', 'winusb.dll', 'usp10.dll', 'credui.dll',
  'cryptui.dll', 'cryptbase.dll', 'rasapi32.dll', 'wevtapi.dll', 'taskschd.dll', 'pdh.dll', 'ntdsapi.dll',
  'activeds.dll', 'odbc32.dll', 'msacm32.dll', 'msvfw32.dll', 'avifil32.dll', 'comsvcs.dll', 'xmllite.dll',
  'msxml3.dll', 'msxml6.dll', 'webservices.dll', 'winscard.dll', 'setupapi.dll', 'devobj.dll', 'dhcpcsvc.dll',
  'fltlib.dll', 'virtdisk.dll', 'wlanapi.dll', 'mscms.dll', 'windowscodecs.dll', 'd3dcompiler_47.dll', 'xinput1_4.dll',
  'xinput9_1_0.dll', 'vulkan-1.dll', 'profapi.dll', 'authz.dll', 'msasn1.dll', 'tdh.dll', 'cabinet.dll', 'resutils.dll',
  'ktmw32.dll', 'shfolder.dll', 'mmdevapi.dll', 'ksuser.dll', 'dsound.dll', 'winsta.dll', 'samcli.dll', 'logoncli.dll',
  'netutils.dll', 'srvcli.dll', 'wkscli.dll', 'apphelp.dll', 'ntmarta.dll', 'msv1_0.dll', 'rstrtmgr.dll', 'sfc.dll',
  'sfc_os.dll', 'imagehlp.dll', 'esent.dll', 'vssapi.dll', 'api-ms-win-crt-runtime-l1-1-0.dll',
];

const NAMES = new Set(SYSTEM_DLLS);

/** True when the name is a DLL Windows itself provides (case-insensitive). */
export function isSystemDllName(name: string): boolean {
  return NAMES.has(name.toLowerCase());
}
