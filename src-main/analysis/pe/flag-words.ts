// Every PE flag in words a support engineer reads without the spec open. Pure: no Node imports.

/** One bit of a flags word: its spec name, what it means, and whether it is set. */
export interface FlagWord {
  bit: number;
  name: string;
  words: string;
  set: boolean;
}

type FlagTable = readonly (readonly [number, string, string])[];

export const FILE_CHARACTERISTIC_WORDS: FlagTable = [
  [0x0001, 'RELOCS_STRIPPED', 'no base relocations: must load at its preferred address'],
  [0x0002, 'EXECUTABLE_IMAGE', 'a valid, linked image'],
  [0x0004, 'LINE_NUMS_STRIPPED', 'COFF line numbers removed'],
  [0x0008, 'LOCAL_SYMS_STRIPPED', 'COFF local symbols removed'],
  [0x0010, 'AGGRESSIVE_WS_TRIM', 'trim the working set aggressively (obsolete)'],
  [0x0020, 'LARGE_ADDRESS_AWARE', 'handles addresses above 2 GB'],
  [0x0080, 'BYTES_REVERSED_LO', 'little-endian byte order reversed (obsolete)'],
  [0x0100, '32BIT_MACHINE', 'built for a 32-bit word machine'],
  [0x0200, 'DEBUG_STRIPPED', 'debug information removed from the image'],
  [0x0400, 'REMOVABLE_RUN_FROM_SWAP', 'copied to swap when run from removable media'],
  [0x0800, 'NET_RUN_FROM_SWAP', 'copied to swap when run from the network'],
  [0x1000, 'SYSTEM', 'a system file (driver), not a user program'],
  [0x2000, 'DLL', 'a DLL, not a program'],
  [0x4000, 'UP_SYSTEM_ONLY', 'runs only on a single-processor machine'],
  [0x8000, 'BYTES_REVERSED_HI', 'big-endian byte order reversed (obsolete)'],
];

export const DLL_CHARACTERISTIC_WORDS: FlagTable = [
  [0x0020, 'HIGH_ENTROPY_VA', 'ASLR with 64-bit high-entropy addresses'],
  [0x0040, 'DYNAMIC_BASE', 'ASLR: may be loaded at a random address'],
  [0x0080, 'FORCE_INTEGRITY', 'Windows checks the signature before loading (code integrity)'],
  [0x0100, 'NX_COMPAT', 'DEP: data pages are not executable'],
  [0x0200, 'NO_ISOLATION', 'no side-by-side manifest lookup'],
  [0x0400, 'NO_SEH', 'no structured exception handlers'],
  [0x0800, 'NO_BIND', 'do not bind imports'],
  [0x1000, 'APPCONTAINER', 'must run in an AppContainer'],
  [0x2000, 'WDM_DRIVER', 'a WDM driver'],
  [0x4000, 'GUARD_CF', 'Control Flow Guard'],
  [0x8000, 'TERMINAL_SERVER_AWARE', 'Terminal Server aware (no compatibility shims)'],
];

export const SECTION_CHARACTERISTIC_WORDS: FlagTable = [
  [0x00000020, 'CODE', 'code'],
  [0x00000040, 'INITIALIZED_DATA', 'initialised data'],
  [0x00000080, 'UNINITIALIZED_DATA', 'zero-filled data'],
  [0x02000000, 'DISCARDABLE', 'discarded after loading'],
  [0x04000000, 'NOT_CACHED', 'not cached'],
  [0x08000000, 'NOT_PAGED', 'never paged out'],
  [0x10000000, 'SHARED', 'shared between processes'],
  [0x20000000, 'EXECUTE', 'executable'],
  [0x40000000, 'READ', 'readable'],
  [0x80000000, 'WRITE', 'writable'],
];

export const GUARD_FLAG_WORDS: FlagTable = [
  [0x100, 'CF_INSTRUMENTED', 'Control Flow Guard checks compiled in'],
  [0x200, 'CFW_INSTRUMENTED', 'CFG write checks compiled in'],
  [0x400, 'CF_FUNCTION_TABLE_PRESENT', 'table of valid call targets present'],
  [0x800, 'SECURITY_COOKIE_UNUSED', 'no /GS security cookie'],
  [0x1000, 'PROTECT_DELAYLOAD_IAT', 'delay-load import table is read-only'],
  [0x2000, 'DELAYLOAD_IAT_IN_ITS_OWN_SECTION', 'delay-load import table in its own section'],
  [0x4000, 'CF_EXPORT_SUPPRESSION_INFO_PRESENT', 'export suppression information present'],
  [0x8000, 'CF_ENABLE_EXPORT_SUPPRESSION', 'export suppression on'],
  [0x10000, 'CF_LONGJUMP_TABLE_PRESENT', 'longjmp target table present'],
  [0x20000, 'RF_INSTRUMENTED', 'Return Flow Guard compiled in'],
  [0x40000, 'RF_ENABLE', 'Return Flow Guard on'],
  [0x80000, 'RF_STRICT', 'Return Flow Guard strict mode'],
  [0x100000, 'RETPOLINE_PRESENT', 'retpoline (Spectre) present'],
  [0x400000, 'EH_CONTINUATION_TABLE_PRESENT', 'EH continuation table (CET shadow stacks)'],
  [0x800000, 'XFG_ENABLED', 'eXtended Flow Guard on'],
  [0x1000000, 'CASTGUARD_PRESENT', 'CastGuard present'],
  [0x2000000, 'MEMCPY_PRESENT', 'guarded memcpy present'],
];

/** Every bit of the table with its words, set or not, so the screen can show what is off too. */
export function flagWords(value: number, table: FlagTable): FlagWord[] {
  return table.map(([bit, name, words]) => ({ bit, name, words, set: (value & bit) >>> 0 !== 0 }));
}

/** Only the bits that are set. */
export function setFlagWords(value: number, table: FlagTable): FlagWord[] {
  return flagWords(value, table).filter((flag) => flag.set);
}
