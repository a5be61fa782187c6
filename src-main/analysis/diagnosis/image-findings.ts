import type { PeImage } from '../pe/pe-image.ts';
import { DIRECTORY } from '../pe/optional-header.ts';
import type { Finding } from './finding.ts';
import { FINDING_CODES, finding, type FindingCode } from './findings.ts';

const PACKER_SECTIONS = /^(UPX\d?|\.UPX\d?|\.aspack|\.adata|\.MPRESS\d|\.petite|\.nsp\d|\.vmp\d|\.themida|\.enigma\d)$/i;
const PACKED_ENTROPY = 7.2;

function dataDirectorySize(image: PeImage, index: number): number | null {
  const dir = image.optionalHeader?.dataDirectories.find((d) => d.index === index);
  return dir ? dir.size : image.optionalHeader ? 0 : null;
}

function hardening(code: FindingCode, title: string, explanation: string, fix: string): Finding {
  return finding({ code, severity: 'info', title, explanation, fix });
}

/** Missing exploit mitigations (ASLR, high-entropy VA, DEP, CFG, SafeSEH): information only. */
export function hardeningFindings(image: PeImage): Finding[] {
  const dc = image.optionalHeader?.dllCharacteristics;
  if (!dc) return [];
  const found: Finding[] = [];
  if (!dc.dynamicBase) found.push(hardening(FINDING_CODES.noAslr, 'No ASLR (DYNAMIC_BASE not set)', 'The DLL always asks for the same base address, which makes exploits easier; a relocation conflict also costs load time.', 'Link with /DYNAMICBASE (MinGW: -Wl,--dynamicbase).'));
  if (image.is64Bit && dc.dynamicBase && !dc.highEntropyVa) found.push(hardening(FINDING_CODES.noHighEntropyVa, 'No high-entropy ASLR', 'A 64-bit DLL without HIGH_ENTROPY_VA is placed with less randomness.', 'Link with /HIGHENTROPYVA (MinGW: -Wl,--high-entropy-va).'));
  if (!dc.nxCompat) found.push(hardening(FINDING_CODES.noDep, 'Not DEP-compatible (NX_COMPAT not set)', 'The DLL does not declare itself compatible with data execution prevention.', 'Link with /NXCOMPAT (MinGW: -Wl,--nxcompat).'));
  if (!dc.guardCf) found.push(hardening(FINDING_CODES.noCfg, 'No Control Flow Guard', 'Indirect calls are not checked by CFG.', 'Compile and link with /guard:cf (MSVC).'));
  if (image.machine === 'x86' && !dc.noSeh && lacksSafeSeh(image)) found.push(hardening(FINDING_CODES.noSafeSeh, 'No SafeSEH table', 'A 32-bit DLL without a SafeSEH handler table lets overwritten exception handlers run.', 'Link with /SAFESEH (MSVC).'));
  return found;
}

// Known only when the load config was read or is absent; an unread one says nothing.
function lacksSafeSeh(image: PeImage): boolean {
  if (dataDirectorySize(image, DIRECTORY.loadConfig) === 0) return true;
  return image.loadConfig !== null && !image.loadConfig.safeSehHandlerCount;
}

/** No Authenticode signature (known when the certificate directory is empty or was read). */
export function signatureFindings(image: PeImage): Finding[] {
  const unsigned = dataDirectorySize(image, DIRECTORY.certificate) === 0 || (image.certificates !== null && !image.certificates.authenticode);
  if (!unsigned) return [];
  return [finding({
    code: FINDING_CODES.unsigned, severity: 'info', title: 'No Authenticode signature',
    explanation: 'The DLL carries no embedded signature: its origin cannot be verified from the file, and policies such as WDAC or some anti-virus products may block or flag it. Windows may still treat it as signed through a security catalog (.cat), as it does most of its own DLLs; catalogs can only be checked on Windows (signtool verify /a /pa, or sigcheck -i).',
    evidence: [image.path], fix: 'Ask the vendor for a signed build, or sign it (signtool sign) if it is yours.',
  })];
}

/** Sections named by packers or executable sections that look compressed/encrypted. */
export function packedFindings(image: PeImage): Finding[] {
  const evidence = image.sections.flatMap((s) => {
    const reasons: string[] = [];
    if (PACKER_SECTIONS.test(s.name)) reasons.push(`section ${s.name}: a packer's section name`);
    if (s.isExecutable && s.entropy !== null && s.entropy > PACKED_ENTROPY) reasons.push(`executable section ${s.name}: entropy ${s.entropy.toFixed(2)} bits/byte`);
    return reasons;
  });
  if (evidence.length === 0) return [];
  return [finding({
    code: FINDING_CODES.packed, severity: 'info', title: 'Looks packed or compressed',
    explanation: `Packed code is unpacked at run time: its real imports and exports may differ from what the file shows, and anti-virus products often flag it. Entropy above ${PACKED_ENTROPY} bits/byte in code is typical of compressed or encrypted data.`,
    evidence, fix: 'Get an unpacked build from the vendor; for UPX, `upx -d` restores the original.',
  })];
}

/** Parser issues: structures that are not as the format says, with where they were met. */
export function malformedFindings(image: PeImage): Finding[] {
  if (image.issues.length === 0) return [];
  return [finding({
    code: FINDING_CODES.malformed, severity: 'warning', title: `Malformed PE structure${image.issues.length > 1 ? 's' : ''}: ${image.issues[0]!.structure}`,
    explanation: 'Parts of the file are not laid out as the PE format says. Windows may still load it (it reads less than a parser), but a truncated or damaged download looks like this, and so do protectors and malware.',
    evidence: image.issues.map((issue) => `${issue.structure}${issue.offset !== null ? ` at offset 0x${issue.offset.toString(16)}` : ''}: ${issue.message}`),
    fix: 'Compare the file with a fresh copy from its source (size, hash); if it is the original, report it to its vendor.',
  })];
}

/** All host-independent findings about the root image. */
export function imageFindings(image: PeImage): Finding[] {
  return [...malformedFindings(image), ...hardeningFindings(image), ...signatureFindings(image), ...packedFindings(image)];
}
