// Asks Windows itself about a file's signature: WinVerifyTrust on the file (its embedded signature),
// then, when it has none, the system catalogs (CryptCATAdmin*) and WinVerifyTrust through the one
// that holds the file's hash. Offline: no revocation check, URLs only from the cache.
// The WINTRUST_* structures hold pointers to strings and to each other, so they are laid out by
// hand in one block of memory from VirtualAlloc (addresses known, nothing moved by the GC).
import { koffi } from './koffi.ts';
import type { TrustResult, TrustVerdict } from '../protocol/messages.ts';
import { TRUST_E_NOSIGNATURE, trustVerdict } from './trust-names.ts';

const PTR = koffi.sizeof('void *');
const SCRATCH_BYTES = 16 * 1024;
const MEM_COMMIT_RESERVE = 0x3000;
const MEM_RELEASE = 0x8000;
const PAGE_READWRITE = 0x04;
const GENERIC_READ = 0x80000000;
const FILE_SHARE_READ_WRITE = 0x3;
const OPEN_EXISTING = 3;
const WTD_UI_NONE = 2;
const WTD_REVOKE_NONE = 0;
const WTD_CHOICE_FILE = 1;
const WTD_CHOICE_CATALOG = 2;
const WTD_STATEACTION_IGNORE = 0;
const WTD_REVOCATION_CHECK_NONE = 0x10;
const WTD_CACHE_ONLY_URL_RETRIEVAL = 0x1000;
const MAX_PATH = 260;
// {00AAC56B-CD44-11D0-8CC2-00C04FC295EE}
const WINTRUST_ACTION_GENERIC_VERIFY_V2 = Buffer.from('6bc5aa0044cdd0118cc200c04fc295ee', 'hex');

const k32 = koffi.load('kernel32.dll');
const VirtualAlloc = k32.func('uintptr_t __stdcall VirtualAlloc(uintptr_t address, uintptr_t size, uint32_t type, uint32_t protect)');
const VirtualFree = k32.func('int __stdcall VirtualFree(uintptr_t address, uintptr_t size, uint32_t type)');
const CopyInto = k32.func('void __stdcall RtlMoveMemory(uintptr_t destination, const void *source, uintptr_t size)');
const CreateFileW = k32.func('intptr_t __stdcall CreateFileW(const char16_t *path, uint32_t access, uint32_t share, void *security, uint32_t disposition, uint32_t flags, void *template)');
const CloseHandle = k32.func('int __stdcall CloseHandle(intptr_t handle)');

const wintrust = koffi.load('wintrust.dll');
const WinVerifyTrust = wintrust.func('int32_t __stdcall WinVerifyTrust(uintptr_t window, uintptr_t action, uintptr_t data)');
type Fn = (...args: unknown[]) => unknown;
/** A function Windows may lack (the *2 variants came with Windows 8); null when it does. */
function optional(prototype: string): Fn | null {
  try {
    return wintrust.func(prototype) as Fn;
  } catch {
    return null;
  }
}
const AcquireContext2 = optional('int __stdcall CryptCATAdminAcquireContext2(_Out_ uintptr_t *admin, void *subsystem, const char16_t *hashAlgorithm, void *strongSign, uint32_t flags)');
const AcquireContext = optional('int __stdcall CryptCATAdminAcquireContext(_Out_ uintptr_t *admin, void *subsystem, uint32_t flags)');
const CalcHash2 = optional('int __stdcall CryptCATAdminCalcHashFromFileHandle2(uintptr_t admin, intptr_t file, _Inout_ uint32_t *size, void *hash, uint32_t flags)');
const CalcHash = optional('int __stdcall CryptCATAdminCalcHashFromFileHandle(intptr_t file, _Inout_ uint32_t *size, void *hash, uint32_t flags)');
const EnumCatalogFromHash = optional('uintptr_t __stdcall CryptCATAdminEnumCatalogFromHash(uintptr_t admin, void *hash, uint32_t size, uint32_t flags, void *previous)');
const CatalogInfoFromContext = optional('int __stdcall CryptCATCatalogInfoFromContext(uintptr_t catalog, void *info, uint32_t flags)');
const ReleaseCatalogContext = optional('int __stdcall CryptCATAdminReleaseCatalogContext(uintptr_t admin, uintptr_t catalog, uint32_t flags)');
const ReleaseContext = optional('int __stdcall CryptCATAdminReleaseContext(uintptr_t admin, uint32_t flags)');

type Field = { kind: 'u32'; value: number } | { kind: 'ptr'; value: bigint };
const u32 = (value: number): Field => ({ kind: 'u32', value });
const ptr = (value: bigint): Field => ({ kind: 'ptr', value });

/** A block of native memory written from JS: strings and structures get real addresses. */
class Scratch {
  private readonly bytes = Buffer.alloc(SCRATCH_BYTES);
  private used = 0;
  private readonly base: bigint;

  constructor() {
    this.base = BigInt(VirtualAlloc(0, SCRATCH_BYTES, MEM_COMMIT_RESERVE, PAGE_READWRITE) as number | bigint);
    if (this.base === 0n) throw new Error('VirtualAlloc failed');
  }

  private reserve(size: number, align: number): number {
    const at = Math.ceil(this.used / align) * align;
    if (at + size > SCRATCH_BYTES) throw new Error('the trust request does not fit its scratch memory');
    this.used = at + size;
    return at;
  }

  bytesOf(data: Buffer): bigint {
    const at = this.reserve(data.length, 8);
    data.copy(this.bytes, at);
    return this.base + BigInt(at);
  }

  wide(text: string): bigint {
    return this.bytesOf(Buffer.from(`${text}\0`, 'utf16le'));
  }

  /** A structure whose first field is its own size (cbStruct), laid out with natural alignment. */
  sizedStruct(fields: Field[]): bigint {
    const offsets: number[] = [];
    let size = 4;
    for (const field of fields) {
      const width = field.kind === 'u32' ? 4 : PTR;
      size = Math.ceil(size / width) * width;
      offsets.push(size);
      size += width;
    }
    size = Math.ceil(size / PTR) * PTR;
    const at = this.reserve(size, PTR);
    this.bytes.writeUInt32LE(size, at);
    fields.forEach((field, i) => {
      if (field.kind === 'u32') this.bytes.writeUInt32LE(field.value >>> 0, at + offsets[i]);
      else if (PTR === 8) this.bytes.writeBigUInt64LE(field.value, at + offsets[i]);
      else this.bytes.writeUInt32LE(Number(field.value), at + offsets[i]);
    });
    return this.base + BigInt(at);
  }

  /** Copies what was written into the native block; call before handing its addresses to Windows. */
  commit(): void {
    CopyInto(this.base, this.bytes, this.used);
  }

  free(): void {
    VirtualFree(this.base, 0, MEM_RELEASE);
  }
}

/** WINTRUST_DATA around one union member (a WINTRUST_FILE_INFO or WINTRUST_CATALOG_INFO). */
function verifyWith(scratch: Scratch, unionChoice: number, member: bigint): TrustVerdict {
  const data = scratch.sizedStruct([
    ptr(0n), ptr(0n), // pPolicyCallbackData, pSIPClientData
    u32(WTD_UI_NONE), u32(WTD_REVOKE_NONE), u32(unionChoice), ptr(member),
    u32(WTD_STATEACTION_IGNORE), ptr(0n), ptr(0n), // dwStateAction, hWVTStateData, pwszURLReference
    u32(WTD_REVOCATION_CHECK_NONE | WTD_CACHE_ONLY_URL_RETRIEVAL), u32(0), ptr(0n), // dwProvFlags, dwUIContext, pSignatureSettings
  ]);
  const action = scratch.bytesOf(WINTRUST_ACTION_GENERIC_VERIFY_V2);
  scratch.commit();
  return trustVerdict(WinVerifyTrust(0, action, data) as number);
}

function verifyEmbedded(windowsPath: string): TrustVerdict {
  const scratch = new Scratch();
  try {
    const fileInfo = scratch.sizedStruct([ptr(scratch.wide(windowsPath)), ptr(0n), ptr(0n)]);
    return verifyWith(scratch, WTD_CHOICE_FILE, fileInfo);
  } finally {
    scratch.free();
  }
}

interface CatalogHit {
  path: string;
  memberTag: string;
  hash: Buffer;
}

function acquireAdmin(): bigint | null {
  const admin = [0n];
  if (AcquireContext2?.(admin, null, 'SHA256', null, 0)) return BigInt(admin[0]);
  if (AcquireContext?.(admin, null, 0)) return BigInt(admin[0]);
  return null;
}

function fileHash(admin: bigint, windowsPath: string): Buffer | null {
  const file = CreateFileW(windowsPath, GENERIC_READ, FILE_SHARE_READ_WRITE, null, OPEN_EXISTING, 0, null) as number | bigint;
  if (Number(file) === -1) return null;
  try {
    const hash = Buffer.alloc(64);
    const size = [hash.length];
    const done = CalcHash2 ? CalcHash2(admin, file, size, hash, 0) : CalcHash?.(file, size, hash, 0);
    return done ? hash.subarray(0, size[0]) : null;
  } finally {
    CloseHandle(file);
  }
}

/** The catalog holding the file's hash, or why there is none. */
function findCatalog(admin: bigint, windowsPath: string): CatalogHit | string {
  if (!EnumCatalogFromHash || !CatalogInfoFromContext) return 'this Windows has no catalog functions (CryptCATAdminEnumCatalogFromHash)';
  const hash = fileHash(admin, windowsPath);
  if (!hash) return 'the file\'s catalog hash could not be computed (CryptCATAdminCalcHashFromFileHandle failed)';
  const catalog = BigInt(EnumCatalogFromHash(admin, hash, hash.length, 0, null) as number | bigint);
  if (catalog === 0n) return 'no system catalog holds the file\'s hash';
  try {
    const info = Buffer.alloc(4 + MAX_PATH * 2);
    info.writeUInt32LE(info.length, 0);
    if (!CatalogInfoFromContext(catalog, info, 0)) return 'a catalog holds the file\'s hash, but its path could not be read';
    const path = info.toString('utf16le', 4).split('\0')[0];
    return { path, memberTag: hash.toString('hex').toUpperCase(), hash };
  } finally {
    ReleaseCatalogContext?.(admin, catalog, 0);
  }
}

function verifyThroughCatalog(admin: bigint, windowsPath: string, hit: CatalogHit): TrustVerdict {
  const scratch = new Scratch();
  try {
    const catalogInfo = scratch.sizedStruct([
      u32(0), ptr(scratch.wide(hit.path)), ptr(scratch.wide(hit.memberTag)), ptr(scratch.wide(windowsPath)), ptr(0n),
      ptr(scratch.bytesOf(hit.hash)), u32(hit.hash.length), ptr(0n), ptr(admin),
    ]);
    return verifyWith(scratch, WTD_CHOICE_CATALOG, catalogInfo);
  } finally {
    scratch.free();
  }
}

/** Windows' verdict on a file's signature: embedded first, then through a system catalog. */
export function verifyTrust(windowsPath: string): TrustResult {
  const embedded = verifyEmbedded(windowsPath);
  if (embedded.hresult !== TRUST_E_NOSIGNATURE) return { embedded, catalog: null, catalogSearch: 'not searched: the file has an embedded signature' };
  const admin = acquireAdmin();
  if (admin === null) return { embedded, catalog: null, catalogSearch: 'the catalog database could not be opened (CryptCATAdminAcquireContext failed)' };
  try {
    const hit = findCatalog(admin, windowsPath);
    if (typeof hit === 'string') return { embedded, catalog: null, catalogSearch: hit };
    const verdict = verifyThroughCatalog(admin, windowsPath, hit);
    return { embedded, catalog: { path: hit.path, memberTag: hit.memberTag, verdict }, catalogSearch: `found in ${hit.path}` };
  } finally {
    ReleaseContext?.(admin, 0);
  }
}
