import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { formatLoaderError, LOADER_ERRORS, loaderError, processStartError } from './error-codes.ts';

const HEADERS = ['/usr/share/mingw-w64/include/winerror.h', '/usr/share/mingw-w64/include/ntstatus.h'];

/** The value a Windows SDK header (MinGW-w64's copy) gives a name, or a reason it cannot. */
function headerValue(name: string): number | string {
  for (const path of HEADERS) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      continue;
    }
    const match = new RegExp(`#define\\s+${name}\\s+(?:__MSABI_LONG\\((\\d+)\\)|\\(\\(NTSTATUS\\)(0x[0-9A-Fa-f]+)L?\\)|(\\d+)L?)`).exec(text);
    if (match) return Number(match[1] ?? match[2] ?? match[3]);
  }
  return `${name} not found in ${HEADERS.join(', ')}`;
}

// Texts as Windows shows them: FormatMessage for the Win32 errors (Microsoft, "System Error
// Codes"), the loader's start-up dialogs for the NTSTATUS values.
const WINDOWS_TEXT: Record<number, [string, string]> = {
  193: ['ERROR_BAD_EXE_FORMAT', '%1 is not a valid Win32 application.'],
  126: ['ERROR_MOD_NOT_FOUND', 'The specified module could not be found.'],
  127: ['ERROR_PROC_NOT_FOUND', 'The specified procedure could not be found.'],
  1114: ['ERROR_DLL_INIT_FAILED', 'A dynamic link library (DLL) initialization routine failed.'],
  0xc000007b: ['STATUS_INVALID_IMAGE_FORMAT', 'The application was unable to start correctly (0xc000007b).'],
  0xc0000135: ['STATUS_DLL_NOT_FOUND', 'The code execution cannot proceed because %hs was not found.'],
  0xc0000139: ['STATUS_ENTRYPOINT_NOT_FOUND', 'The procedure entry point %hs could not be located in the dynamic link library %hs.'],
  182: ['ERROR_INVALID_ORDINAL', 'The operating system cannot run %1.'],
  14001: ['ERROR_SXS_CANT_GEN_ACTCTX', 'The application has failed to start because its side-by-side configuration is incorrect. Please see the application event log or use the command-line sxstrace.exe tool for more detail.'],
  0xc0000138: ['STATUS_ORDINAL_NOT_FOUND', 'The ordinal %ld could not be located in the dynamic link library %hs.'],
  0xc0000142: ['STATUS_DLL_INIT_FAILED', 'The application was unable to start correctly (0xc0000142).'],
};

describe('loader error codes', () => {
  for (const [code, [name, message]] of Object.entries(WINDOWS_TEXT)) {
    test(`${name}: code, name and message as Windows prints them`, () => {
      assert.deepEqual(loaderError(Number(code)), { code: Number(code), name, message });
    });
  }

  test('every name has the value the Windows SDK headers give it', (t) => {
    for (const error of Object.values(LOADER_ERRORS)) {
      const value = headerValue(error.name);
      if (typeof value === 'string') {
        t.skip(value);
        return;
      }
      assert.equal(error.code, value, error.name);
    }
  });

  test('an NTSTATUS given as a signed 32-bit integer is found too', () => {
    assert.equal(loaderError(0xc000007b | 0)!.name, 'STATUS_INVALID_IMAGE_FORMAT');
    assert.equal(loaderError(-1073741515)!.name, 'STATUS_DLL_NOT_FOUND');
  });

  test('codes Thunk does not explain: null', () => {
    for (const code of [0, 2, 5, 0xc0000005]) assert.equal(loaderError(code), null);
  });

  test('each lookup is a copy: changing it does not change the table', () => {
    const error = loaderError(126)!;
    error.message = 'changed';
    assert.equal(loaderError(126)!.message, 'The specified module could not be found.');
  });

  test('formatting: Win32 errors in decimal, NTSTATUS in upper-case hex', () => {
    assert.equal(formatLoaderError(LOADER_ERRORS.badExeFormat), '193 ERROR_BAD_EXE_FORMAT');
    assert.equal(formatLoaderError(LOADER_ERRORS.dllInitFailed), '1114 ERROR_DLL_INIT_FAILED');
    assert.equal(formatLoaderError(LOADER_ERRORS.invalidImageFormat), '0xC000007B STATUS_INVALID_IMAGE_FORMAT');
  });

  test('a program meets the start-up NTSTATUS, with the module and function filled in', () => {
    const missing = processStartError(LOADER_ERRORS.modNotFound, { module: 'missing-dep.dll' });
    assert.equal(formatLoaderError(missing), '0xC0000135 STATUS_DLL_NOT_FOUND');
    assert.match(missing.message, /^The code execution cannot proceed because missing-dep\.dll was not found\./);
    assert.equal(processStartError(LOADER_ERRORS.procNotFound, { module: 'dep.dll', function: 'DepNew' }).message, 'The procedure entry point DepNew could not be located in the dynamic link library dep.dll.');
    assert.equal(processStartError(LOADER_ERRORS.invalidOrdinal, { module: 'dep.dll', function: '#99' }).message, 'The ordinal 99 could not be located in the dynamic link library dep.dll.');
    assert.equal(processStartError(LOADER_ERRORS.badExeFormat, null).code, 0xc000007b);
    assert.equal(processStartError(LOADER_ERRORS.sxsCantGenActctx, null).code, 14001);
  });
});
