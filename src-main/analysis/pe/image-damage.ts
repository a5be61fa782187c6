import type { PeImage } from './pe-image.ts';
import { LIMITS } from './limits.ts';

const hex = (value: number): string => `0x${value.toString(16)}`;
const isPowerOfTwo = (value: number): boolean => value > 0 && (value & (value - 1)) === 0;
const alignUp = (value: number, alignment: number): number => (isPowerOfTwo(alignment) ? Math.ceil(value / alignment) * alignment : value);

/**
 * Damage the loader refuses to map (NtCreateSection with SEC_IMAGE fails with
 * STATUS_INVALID_IMAGE_FORMAT, i.e. 193): the structures it checks before any import is looked
 * at. Lesser damage (a bad export table, an odd resource) stays a warning: Windows reads less than
 * a parser does.
 */
export function fatalDamage(image: PeImage): string[] {
  const header = image.optionalHeader;
  if (!header) return ['the optional header cannot be read (unknown magic or cut short)'];
  const damage: string[] = [];
  const size = image.fileSize;
  if (header.sizeOfHeaders > size) damage.push(`the headers (SizeOfHeaders ${hex(header.sizeOfHeaders)}) run past the end of the file (${size} bytes)`);
  const declared = image.fileHeader.numberOfSections;
  if (image.sections.length < declared && image.sections.length < LIMITS.sections) {
    damage.push(`the section table declares ${declared} sections but the file ends after ${image.sections.length}`);
  }
  for (const s of image.sections) {
    if (s.sizeOfRawData > 0 && s.pointerToRawData + s.sizeOfRawData > size) {
      damage.push(`section ${s.name || '(unnamed)'} needs file bytes up to ${hex(s.pointerToRawData + s.sizeOfRawData)}, but the file ends at ${hex(size)}`);
    }
  }
  if (!isPowerOfTwo(header.sectionAlignment) || !isPowerOfTwo(header.fileAlignment) || header.fileAlignment > header.sectionAlignment) {
    damage.push(`impossible alignment: SectionAlignment ${hex(header.sectionAlignment)}, FileAlignment ${hex(header.fileAlignment)}`);
  }
  const extent = image.sections.reduce((end, s) => Math.max(end, alignUp(s.virtualAddress + Math.max(s.virtualSize, s.sizeOfRawData), header.sectionAlignment)), 0);
  if (extent > alignUp(header.sizeOfImage, header.sectionAlignment)) damage.push(`SizeOfImage ${hex(header.sizeOfImage)} is smaller than the sections' extent ${hex(extent)}`);
  return damage;
}
