import type { Finding } from '../diagnosis/finding.ts';
import type { Verdict } from '../diagnosis/verdict.ts';
import type { DependencyNode } from '../resolver/dependency-node.ts';
import type { HostArch } from '../resolver/load-context.ts';
import type { ExportEntry, ImportModule, PeImage } from '../pe/pe-image.ts';
import { demangleName } from '../names/demangle.ts';
import type { ExportRow, FileReport, FileSummary, ImportRow, TreeNode } from './report-document.ts';
import type { FileSignatureReport } from '../signature/signature-types.ts';

/** What the analysis of one file produced, as input to the report. */
export interface AnalysisParts {
  image: PeImage;
  verdicts: Partial<Record<HostArch, Verdict>>;
  trees: Partial<Record<HostArch, DependencyNode>>;
  findings: Finding[];
  /** The verified Authenticode signature, when it was verified. */
  signature?: FileSignatureReport | null;
}

/** Export rows with undecorated names (demangled only where it differs from the raw name). */
export function exportRows(image: PeImage): ExportRow[] {
  return (image.exports?.entries ?? []).map((entry) => exportRow(entry, image.machine));
}

function exportRow(entry: ExportEntry, machine: string): ExportRow {
  const row: ExportRow = { ordinal: entry.ordinal, kind: entry.kind };
  if (entry.name !== null) {
    row.name = entry.name;
    const name = demangleName(entry.name, machine);
    if (name.demangled !== entry.name) row.demangled = name.demangled;
    if (name.decoration.startsWith('c-') && name.callingConvention && name.decoration !== 'c-cdecl') {
      row.callingConvention = name.callingConvention;
      if (name.argumentBytes !== null) row.argumentBytes = name.argumentBytes;
    }
  }
  if (entry.forwarder !== null) row.forwarder = entry.forwarder;
  else if (entry.rva !== null) {
    row.rva = entry.rva;
    row.section = entry.section;
  }
  return row;
}

function importRows(modules: readonly ImportModule[]): ImportRow[] {
  return modules.map((module) => ({
    dll: module.dll,
    functions: module.functions.map((fn) => (fn.name !== null ? (fn.hint !== null ? { name: fn.name, hint: fn.hint } : { name: fn.name }) : { ordinal: fn.ordinal ?? 0 })),
  }));
}

function treeNode(node: DependencyNode): TreeNode {
  const out: TreeNode = { name: node.name, path: node.path, strategy: node.strategy, machine: node.machine, children: node.children.map(treeNode) };
  if (node.apiSetTarget) out.apiSetTarget = node.apiSetTarget;
  if (node.delayLoad) out.delayLoad = true;
  if (node.repeated) out.repeated = true;
  if (node.error) out.error = node.error;
  if (node.skipped.length > 0) out.skipped = node.skipped;
  if (node.missingImports.length > 0) out.missingImports = node.missingImports;
  return out;
}

function versionString(image: PeImage, key: string): string | null {
  for (const table of image.resources?.version?.stringTables ?? []) {
    const value = table.strings[key];
    if (value) return value;
  }
  return null;
}

/** The header facts a support engineer reads first. */
export function fileSummary(image: PeImage): FileSummary {
  const flags = image.optionalHeader?.dllCharacteristics;
  const loadConfig = image.loadConfig;
  const codeView = image.debug?.codeView ?? null;
  return {
    machine: image.machine,
    format: image.optionalHeader?.format ?? null,
    isDll: image.fileHeader.isDll,
    subsystem: image.optionalHeader?.subsystem ?? null,
    timestamp: image.fileHeader.timestamp,
    fileVersion: image.resources?.version?.fileVersion ?? null,
    productVersion: image.resources?.version?.productVersion ?? null,
    companyName: versionString(image, 'CompanyName'),
    productName: versionString(image, 'ProductName'),
    fileDescription: versionString(image, 'FileDescription'),
    pdb: codeView ? { path: codeView.pdbPath, guid: codeView.guid, age: codeView.age } : null,
    signed: image.certificates?.authenticode ?? false,
    dotnet: image.clr ? { flavor: image.clr.flavor, runtimeVersion: image.clr.runtimeVersion, metadataVersion: image.clr.metadataVersion } : null,
    hardening: {
      aslr: flags?.dynamicBase ?? null,
      highEntropyVa: image.is64Bit ? (flags?.highEntropyVa ?? null) : null,
      dep: flags?.nxCompat ?? null,
      cfg: flags?.guardCf ?? null,
      safeSeh: image.is64Bit ? null : flags?.noSeh ? true : loadConfig?.safeSehHandlerCount != null ? loadConfig.safeSehHandlerCount > 0 : false,
      noSeh: flags?.noSeh ?? null,
      forceIntegrity: flags?.forceIntegrity ?? null,
      appContainer: flags?.appContainer ?? null,
      securityCookie: loadConfig ? loadConfig.securityCookie !== null && loadConfig.securityCookie !== 0n : null,
    },
    sections: image.sections.map((s) => ({ name: s.name, virtualSize: s.virtualSize, rawSize: s.sizeOfRawData, entropy: s.entropy, flags: s.flags })),
    checksum: image.checksum,
    overlay: image.overlay,
  };
}

/** The report of one analysed file. */
export function buildFileReport(file: string, parts: AnalysisParts): FileReport {
  const { image } = parts;
  const verdicts: FileReport['verdicts'] = {};
  for (const [arch, verdict] of Object.entries(parts.verdicts) as [HostArch, Verdict][]) {
    verdicts[arch] = { loads: verdict.loads, builtForHost: verdict.builtForHost, error: verdict.error, rootCause: verdict.rootCause, context: verdict.context };
  }
  const dependencies: FileReport['dependencies'] = {};
  for (const [arch, tree] of Object.entries(parts.trees) as [HostArch, DependencyNode][]) dependencies[arch] = treeNode(tree);
  return {
    file,
    size: image.fileSize,
    status: 'analysed',
    error: null,
    machine: image.machine,
    summary: fileSummary(image),
    verdicts,
    findings: parts.findings.map(({ code, severity, title, explanation, evidence, fix, hostArch, rootCause }) => ({ code, severity, title, explanation, evidence, fix, hostArch, rootCause })),
    exports: exportRows(image),
    imports: importRows(image.imports),
    delayImports: importRows(image.delayImports),
    dependencies,
    signature: parts.signature ?? null,
  };
}

/** The report of a file that could not be analysed. */
export function failedFileReport(file: string, status: 'not-pe' | 'unreadable' | 'failed', error: string, size: number | null, findings: FileReport['findings'] = []): FileReport {
  return { file, size, status, error, machine: null, summary: null, verdicts: {}, findings, exports: [], imports: [], delayImports: [], dependencies: {}, signature: null };
}
