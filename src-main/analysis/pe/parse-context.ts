import type { FileReader } from './file-reader.ts';
import type { IssueLog } from './parse-issues.ts';
import type { Section } from './pe-image.ts';

/** What every structure reader needs: the bytes, the RVA mapping, the bitness and the issue log. */
export interface ParseContext {
  reader: FileReader;
  space: AddressSpace;
  is64Bit: boolean;
  imageBase: bigint;
  issues: IssueLog;
}

/** Maps RVAs to file offsets the way the loader lays sections out. */
export class AddressSpace {
  constructor(
    private readonly sections: readonly Section[],
    private readonly sizeOfHeaders: number,
    private readonly fileAlignment: number,
    private readonly fileSize: number,
  ) {}

  /** File offset of an RVA, or null when no section (nor the headers) backs it with file data. */
  rvaToOffset(rva: number): number | null {
    if (!Number.isSafeInteger(rva) || rva < 0) return null;
    const section = this.sectionOf(rva);
    if (section) {
      const delta = rva - section.virtualAddress;
      if (delta >= this.rawSize(section)) return null;
      const offset = this.rawPointer(section) + delta;
      return offset < this.fileSize ? offset : null;
    }
    if (rva < Math.max(this.sizeOfHeaders, 0x200) && rva < this.fileSize) return rva;
    return null;
  }

  /** The section that holds an RVA. */
  sectionOf(rva: number): Section | null {
    for (const section of this.sections) {
      const span = Math.max(section.virtualSize, section.sizeOfRawData);
      if (rva >= section.virtualAddress && rva < section.virtualAddress + span) return section;
    }
    return null;
  }

  /** RVA of an absolute virtual address, for the old VA-based structures. */
  vaToRva(va: bigint, imageBase: bigint): number | null {
    const rva = va - imageBase;
    return rva >= 0n && rva <= 0xffffffffn ? Number(rva) : null;
  }

  // The loader rounds PointerToRawData down to 512 when FileAlignment is at least that.
  private rawPointer(section: Section): number {
    return this.fileAlignment >= 0x200 ? section.pointerToRawData & ~0x1ff : section.pointerToRawData;
  }

  private rawSize(section: Section): number {
    const virtualSize = section.virtualSize || section.sizeOfRawData;
    return Math.min(section.sizeOfRawData, virtualSize > 0 ? Math.max(virtualSize, section.sizeOfRawData) : 0);
  }
}
