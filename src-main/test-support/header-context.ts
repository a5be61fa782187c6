import { FileReader } from '../analysis/pe/file-reader.ts';
import { IssueLog } from '../analysis/pe/parse-issues.ts';
import { AddressSpace, type ParseContext } from '../analysis/pe/parse-context.ts';
import { readDosHeader } from '../analysis/pe/dos-header.ts';
import { readFileHeader } from '../analysis/pe/file-header.ts';
import { readOptionalHeader } from '../analysis/pe/optional-header.ts';
import { readSectionTable } from '../analysis/pe/section-table.ts';
import type { DataDirectory, DosHeader, FileHeader, Section } from '../analysis/pe/pe-image.ts';

/** The headers of an in-memory PE and a ParseContext over it, for testing one structure reader alone. */
export interface HeaderContext {
  ctx: ParseContext;
  fileHeader: FileHeader;
  directories: DataDirectory[];
  sections: Section[];
  /** File offset of the optional header's data directory array. */
  directoriesAt: number;
}

/** Reads the headers of a valid PE buffer (the structure under test is what gets broken, not these). */
export function headerContextOf(bytes: Buffer): HeaderContext {
  const reader = FileReader.fromBuffer(bytes);
  const { peHeaderOffset } = readDosHeader(reader) as DosHeader;
  const fileHeader = readFileHeader(reader, peHeaderOffset + 4);
  const issues = new IssueLog();
  const optionalAt = peHeaderOffset + 24;
  const optional = readOptionalHeader(reader, optionalAt, fileHeader.sizeOfOptionalHeader, issues)!;
  const sections = readSectionTable(reader, optionalAt + fileHeader.sizeOfOptionalHeader, fileHeader.numberOfSections, issues, false);
  const space = new AddressSpace(sections, optional.sizeOfHeaders, optional.fileAlignment, reader.size);
  const is64Bit = optional.format === 'PE32+';
  return {
    ctx: { reader, space, issues, is64Bit, imageBase: optional.imageBase },
    fileHeader,
    directories: optional.dataDirectories,
    sections,
    directoriesAt: optionalAt + (is64Bit ? 0x70 : 0x60),
  };
}
