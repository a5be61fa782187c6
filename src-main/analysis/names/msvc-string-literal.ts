/**
 * The text of an MSVC string-literal symbol (`??_C@_0...`), decoded and escaped as llvm-undname
 * prints it. The mangling keeps at most 32 bytes and not the character width, so the width is
 * guessed from the null bytes, as llvm-undname guesses it.
 */

export interface DecodedLiteral {
  /** Position just past the closing `@`. */
  end: number;
  prefix: '' | 'L' | 'u' | 'U';
  text: string;
  truncated: boolean;
}

const MAX_NARROW_BYTES = 128;
const DIGIT_CHARS = ",/\\:. \n\t'-";
const ESCAPES: Record<number, string> = {
  0: '\\0', 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 34: '\\"', 39: "\\'", 92: '\\\\',
};

interface CharRead { value: number; next: number }

function isRebasedHex(c: string | undefined): boolean {
  return c !== undefined && c >= 'A' && c <= 'P';
}

function readChar(s: string, pos: number): CharRead | null {
  const c = s[pos];
  if (c === undefined) return null;
  if (c !== '?') return { value: c.charCodeAt(0) & 0xff, next: pos + 1 };
  const d = s[pos + 1];
  if (d === undefined) return null;
  if (d === '$') {
    const hi = s[pos + 2];
    const lo = s[pos + 3];
    if (!isRebasedHex(hi) || !isRebasedHex(lo)) return null;
    return { value: ((hi.charCodeAt(0) - 65) << 4) | (lo.charCodeAt(0) - 65), next: pos + 4 };
  }
  if (d >= '0' && d <= '9') return { value: DIGIT_CHARS.charCodeAt(Number(d)), next: pos + 2 };
  if (d >= 'a' && d <= 'z') return { value: 0xe1 + d.charCodeAt(0) - 97, next: pos + 2 };
  if (d >= 'A' && d <= 'Z') return { value: 0xc1 + d.charCodeAt(0) - 65, next: pos + 2 };
  return null;
}

function hexEscape(value: number): string {
  let digits = '';
  let rest = value;
  while (rest !== 0) {
    for (let i = 0; i < 2; i++) {
      digits = (rest % 16).toString(16).toUpperCase() + digits;
      rest = Math.floor(rest / 16);
    }
  }
  return `\\x${digits}`;
}

export function escapeChar(value: number): string {
  const escape = ESCAPES[value];
  if (escape !== undefined) return escape;
  if (value > 0x1f && value < 0x7f) return String.fromCharCode(value);
  return hexEscape(value);
}

export function decodeStringLiteral(s: string, start: number, wide: boolean, byteSize: bigint): DecodedLiteral | null {
  return wide ? decodeWide(s, start, byteSize) : decodeNarrow(s, start, byteSize);
}

function decodeWide(s: string, start: number, byteSize: bigint): DecodedLiteral | null {
  const truncated = byteSize > 64n;
  let remaining = byteSize;
  let pos = start;
  let text = '';
  while (s[pos] !== '@') {
    if (remaining % 2n !== 0n || remaining === 0n || s.length - pos < 2) return null;
    const high = readChar(s, pos);
    if (!high || high.next >= s.length) return null;
    const low = readChar(s, high.next);
    if (!low) return null;
    if (remaining !== 2n || truncated) text += escapeChar((high.value << 8) | low.value);
    remaining -= 2n;
    pos = low.next;
  }
  return { end: pos + 1, prefix: 'L', text, truncated };
}

function decodeNarrow(s: string, start: number, byteSize: bigint): DecodedLiteral | null {
  const bytes: number[] = [];
  let pos = start;
  while (s[pos] !== '@') {
    if (pos >= s.length || bytes.length >= MAX_NARROW_BYTES) return null;
    const c = readChar(s, pos);
    if (!c) return null;
    bytes.push(c.value);
    pos = c.next;
  }
  const truncated = byteSize > BigInt(bytes.length);
  const width = guessCharWidth(bytes, byteSize);
  const count = Math.floor(bytes.length / width);
  let text = '';
  for (let i = 0; i < count; i++) {
    if (i + 1 < count || truncated) text += escapeChar(charAt(bytes, i, width));
  }
  const prefix = ({ 1: '', 2: 'u', 4: 'U' } as const)[width];
  return { end: pos + 1, prefix, text, truncated };
}

function charAt(bytes: number[], index: number, width: 1 | 2 | 4): number {
  let value = 0;
  for (let i = 0; i < width; i++) value += bytes[index * width + i] * 2 ** (8 * i);
  return value;
}

function guessCharWidth(bytes: number[], byteSize: bigint): 1 | 2 | 4 {
  if (byteSize % 2n === 1n) return 1;
  if (byteSize < 32n) {
    let trailing = 0;
    for (let i = bytes.length - 1; i >= 0 && bytes[i] === 0; i--) trailing++;
    if (trailing >= 4 && byteSize % 4n === 0n) return 4;
    return trailing >= 2 ? 2 : 1;
  }
  const nulls = bytes.filter((b) => b === 0).length;
  if (nulls >= Math.floor((2 * bytes.length) / 3) && byteSize % 4n === 0n) return 4;
  return nulls >= Math.floor(bytes.length / 3) ? 2 : 1;
}
