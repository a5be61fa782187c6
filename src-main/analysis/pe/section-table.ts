import type { FileReader } from './file-reader.ts';
import type { IssueLog } from './parse-issues.ts';
import type { Section } from './pe-image.ts';
import { flagNames } from './file-header.ts';
import { LIMITS } from './limits.ts';
import { SECTION_CHARACTERISTIC_WORDS } from './flag-words.ts';

// Names from the one table of these flags, which also holds their words (flag-words.ts).
const SECTION_FLAGS = SECTION_CHARACTERISTIC_WORDS.map(([bit, name]) => [bit, name] as const);

/** Shannon entropy in bits per byte over a byte histogram. */
export function entropyOf(histogram: Uint32Array, total: number): number {
  if (total === 0) return 0;
  let entropy = 0;
  for (const count of histogram) {
    if (count === 0) continue;
    const p = count / total;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

// The caller clamps `length` to the file, the cap and the entropy budget.
function sectionEntropy(reader: FileReader, offset: number, length: number): number | null {
  if (length <= 0) return null;
  const histogram = new Uint32Array(256);
  const chunk = 1 << 20;
  for (let done = 0; done < length; done += chunk) {
    const bytes = reader.bytes(offset + done, Math.min(chunk, length - done));
    // Indexed, not for-of: the iterator protocol made this the hottest loop of a folder triage.
    for (let index = 0; index < bytes.length; index++) histogram[bytes[index]!]!++;
  }
  return Math.round(entropyOf(histogram, length) * 1000) / 1000;
}

/** Reads the section table; entropy is computed only when asked (it reads every section). */
export function readSectionTable(reader: FileReader, offset: number, declaredCount: number, issues: IssueLog, withEntropy: boolean): Section[] {
  const fitting = Math.floor(Math.max(0, reader.size - offset) / 40);
  const count = Math.min(declaredCount, LIMITS.sections, fitting);
  if (count < declaredCount) {
    issues.add('section table', offset, `${declaredCount} sections declared; only ${count} read (${fitting < declaredCount ? 'the table runs past the end of the file' : `cap ${LIMITS.sections}`})`);
  }
  const table = reader.bytes(offset, count * 40);
  const sections: Section[] = [];
  // Sections may all map the same bytes; one file's worth in total keeps entropy linear in the file size.
  let entropyBudget = reader.size;
  for (let index = 0; index < count; index++) {
    const at = index * 40;
    const rawName = table.subarray(at, at + 8);
    const nul = rawName.indexOf(0);
    const characteristics = table.readUInt32LE(at + 36);
    const section: Section = {
      name: rawName.toString('latin1', 0, nul < 0 ? 8 : nul),
      virtualSize: table.readUInt32LE(at + 8),
      virtualAddress: table.readUInt32LE(at + 12),
      sizeOfRawData: table.readUInt32LE(at + 16),
      pointerToRawData: table.readUInt32LE(at + 20),
      characteristics,
      flags: flagNames(characteristics, SECTION_FLAGS),
      isCode: (characteristics & 0x20) !== 0,
      isExecutable: (characteristics & 0x20000000) !== 0,
      isWritable: (characteristics & 0x80000000) !== 0,
      entropy: null,
    };
    if (section.sizeOfRawData > 0 && section.pointerToRawData + section.sizeOfRawData > reader.size) {
      issues.add(`section ${section.name}`, offset + at, `raw data [0x${section.pointerToRawData.toString(16)}, +0x${section.sizeOfRawData.toString(16)}) runs past the end of the file (size 0x${reader.size.toString(16)})`);
    }
    if (withEntropy && section.sizeOfRawData > 0 && entropyBudget > 0) {
      const length = Math.min(section.sizeOfRawData, reader.size - section.pointerToRawData, entropyBudget, LIMITS.entropyBytes);
      section.entropy = sectionEntropy(reader, section.pointerToRawData, length);
      entropyBudget -= Math.max(length, 0);
    }
    sections.push(section);
  }
  return sections;
}
