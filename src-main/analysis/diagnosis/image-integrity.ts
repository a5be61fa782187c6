import type { PeImage } from '../pe/pe-image.ts';
import type { Finding } from './finding.ts';
import { FINDING_CODES, finding } from './findings.ts';

/** The root-cause finding for a file the loader cannot map: every host fails with 193. */
export function damagedImageFinding(image: PeImage, damage: string[], isExe: boolean): Finding {
  return finding({
    code: FINDING_CODES.damagedImage, severity: 'error', rootCause: true,
    title: `Damaged file: ${damage[0]}`,
    explanation: `The file is cut short or corrupt where the Windows loader checks it (headers, section table, section data, SizeOfImage, alignment). ${isExe ? 'The program does not start (0xC000007B, or "This app can\'t run on your PC")' : 'LoadLibrary fails with 193 ("%1 is not a valid Win32 application")'} in every process, whatever its bitness. An interrupted download or copy looks like this.`,
    evidence: [`${image.path}: ${image.fileSize} bytes`, ...damage],
    fix: 'Get the file again from its source (installer, package, vendor) and compare its size and hash with the original.',
  });
}
