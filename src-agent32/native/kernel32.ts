// kernel32 bindings, declared once. Only imported on Windows (and under Wine).
import { koffi } from './koffi.ts';

const k32 = koffi.load('kernel32.dll');
const fn = (proto: string) => k32.func(proto);

export const LoadLibraryExW = fn('void * __stdcall LoadLibraryExW(const char16_t *path, void *file, uint32_t flags)');
export const FreeLibrary = fn('int __stdcall FreeLibrary(void *module)');
export const GetLastError = fn('uint32_t __stdcall GetLastError()');
export const SetLastError = fn('void __stdcall SetLastError(uint32_t code)');
export const FormatMessageW = fn('uint32_t __stdcall FormatMessageW(uint32_t flags, void *source, uint32_t id, uint32_t lang, void *buf, uint32_t size, void *args)');
export const GetModuleFileNameW = fn('uint32_t __stdcall GetModuleFileNameW(void *module, void *buf, uint32_t size)');
export const GetModuleHandleW = fn('void * __stdcall GetModuleHandleW(const char16_t *name)');
export const GetCurrentProcess = fn('void * __stdcall GetCurrentProcess()');
export const EnumProcessModules = fn('int __stdcall K32EnumProcessModules(void *process, void *modules, uint32_t cb, _Out_ uint32_t *needed)');
export const GetModuleInformation = fn('int __stdcall K32GetModuleInformation(void *process, void *module, void *info, uint32_t cb)');
export const GetProcAddressByName = fn('void * __stdcall GetProcAddress(void *module, const char *name)');
export const GetProcAddressByOrdinal = k32.func('__stdcall', 'GetProcAddress', 'void *', ['void *', 'uintptr_t']);
export const AddDllDirectory = fn('void * __stdcall AddDllDirectory(const char16_t *dir)');
export const GetStdHandle = fn('void * __stdcall GetStdHandle(uint32_t which)');
export const SetStdHandle = fn('int __stdcall SetStdHandle(uint32_t which, void *handle)');
export const CreatePipe = fn('int __stdcall CreatePipe(_Out_ void **read, _Out_ void **write, void *attrs, uint32_t size)');
export const WriteFile = fn('int __stdcall WriteFile(void *file, void *buf, uint32_t len, _Out_ uint32_t *written, void *overlapped)');
export const DuplicateHandle = fn('int __stdcall DuplicateHandle(void *srcProcess, void *src, void *dstProcess, _Out_ void **dst, uint32_t access, int inherit, uint32_t options)');
// Handlers are passed by address: they may be a machine-code stub in front of a koffi callback.
export const AddVectoredExceptionHandler = fn('void * __stdcall AddVectoredExceptionHandler(uint32_t first, uintptr_t handler)');
export const SetUnhandledExceptionFilter = fn('uintptr_t __stdcall SetUnhandledExceptionFilter(uintptr_t filter)');
export const TerminateProcess = fn('int __stdcall TerminateProcess(void *process, uint32_t code)');
export const GetCurrentProcessId = fn('uint32_t __stdcall GetCurrentProcessId()');
export const GetCurrentThreadId = fn('uint32_t __stdcall GetCurrentThreadId()');
export const CreateFileW = fn('void * __stdcall CreateFileW(const char16_t *path, uint32_t access, uint32_t share, void *security, uint32_t disposition, uint32_t flags, void *template)');
export const CloseHandle = fn('int __stdcall CloseHandle(void *handle)');
export const DeleteFileW = fn('int __stdcall DeleteFileW(const char16_t *path)');
export const VirtualAlloc = fn('uintptr_t __stdcall VirtualAlloc(uintptr_t address, uintptr_t size, uint32_t type, uint32_t protect)');
export const VirtualProtect = fn('int __stdcall VirtualProtect(uintptr_t address, uintptr_t size, uint32_t protect, _Out_ uint32_t *old)');
export const FlushInstructionCache = fn('int __stdcall FlushInstructionCache(void *process, uintptr_t address, uintptr_t size)');
export const RtlMoveMemory = fn('void __stdcall RtlMoveMemory(uintptr_t destination, const void *source, uintptr_t size)');

export const STD_OUTPUT_HANDLE = 0xfffffff5;
export const STD_ERROR_HANDLE = 0xfffffff4;
export const INVALID_HANDLE_VALUE = BigInt.asUintN(koffi.sizeof('void *') * 8, -1n);

export function formatMessage(code: number): string {
  const buf = Buffer.alloc(2048);
  const n = FormatMessageW(0x1000 | 0x200, null, code, 0, buf, buf.length / 2, null) as number;
  return n > 0 ? buf.toString('utf16le', 0, n * 2).trim() : `error ${code}`;
}

export function moduleFileName(module: unknown): string {
  const buf = Buffer.alloc(65536);
  const n = GetModuleFileNameW(module, buf, buf.length / 2) as number;
  return buf.toString('utf16le', 0, n * 2);
}
