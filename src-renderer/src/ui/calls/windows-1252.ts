// Windows-1252, the ANSI code page of English and Western European Windows: Latin-1 but for
// 0x80-0x9F, where it has the euro sign, curly quotes, dashes and a few letters. Written here as
// the table is 32 entries and the page has no TextEncoder for legacy code pages.

/** Bytes 0x80-0x9F; null where the code page defines nothing (Windows passes those through as U+0081 and so on). */
const HIGH_CONTROLS: (number | null)[] = [
  0x20ac, null, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, null, 0x017d, null,
  null, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, null, 0x017e, 0x0178,
];

const BYTE_OF = new Map<number, number>(HIGH_CONTROLS.flatMap((code, i) => [[code ?? 0x80 + i, 0x80 + i] as [number, number]]));

/** The byte for a code point, or null when Windows-1252 has none. */
export function windows1252Byte(codePoint: number): number | null {
  if (codePoint < 0x80 || (codePoint >= 0xa0 && codePoint <= 0xff)) return codePoint;
  return BYTE_OF.get(codePoint) ?? null;
}

export function windows1252Char(byte: number): string {
  const code = byte >= 0x80 && byte <= 0x9f ? HIGH_CONTROLS[byte - 0x80] ?? byte : byte;
  return String.fromCodePoint(code);
}
