// Numbers and dates of the headers tab, the way PE tools print them. Pure.

/** 0x-prefixed hex, padded to `digits`. */
export function hex(value: number, digits = 8): string {
  return `0x${(value >>> 0).toString(16).padStart(digits, '0')}`;
}

/** A byte count both ways: "0x1a00 (6,656)". */
export function sizeWords(size: number): string {
  return `${hex(size, 1)} (${size.toLocaleString('en-US')})`;
}

/** A TimeDateStamp as UTC, or why it is not a date. */
export function stampWords(stamp: number, iso: string | null = null): string {
  if (stamp === 0) return '0 (not set)';
  if (iso) return `${iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')} (${hex(stamp)})`;
  const date = new Date(stamp * 1000);
  // Reproducible builds store a hash here: far in the future or before PE existed.
  if (date.getUTCFullYear() > new Date().getUTCFullYear() + 1 || date.getUTCFullYear() < 1993) return `${hex(stamp)} (a hash, not a date: reproducible build)`;
  return `${date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')} (${hex(stamp)})`;
}

/** Entropy band, for the bar's colour and its words. */
export function entropyBand(entropy: number): 'low' | 'normal' | 'high' {
  if (entropy >= 7.2) return 'high';
  if (entropy < 1) return 'low';
  return 'normal';
}
