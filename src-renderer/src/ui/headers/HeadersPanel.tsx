import { useEffect } from 'react';
import type { HeadersResult } from '../../../../src-main/contract/api-contract.ts';
import { loadHeaders } from '../../store/headers-actions.ts';
import { useHeadersOf } from '../../store/exports-hooks.ts';
import type { WorkspacePanelProps } from '../workspace/workspace-tabs.ts';
import { Card, EntropyBar, Facts, FlagList } from './HeaderParts.tsx';
import { SignatureCard, ResourcesCard, RichHeaderCard } from './HeaderCards.tsx';
import { hex, sizeWords, stampWords } from './header-words.ts';
import { LoadableView } from '../workspace/LoadableView.tsx';
import './headers.css';

function FileHeaderCard({ h }: { h: HeadersResult }) {
  const f = h.fileHeader;
  return (
    <Card id="file-header" title="File header">
      <Facts facts={[
        ['Machine', `${f.machine} (${hex(f.machineCode, 4)})`], ['Sections', f.numberOfSections], ['Built', stampWords(f.timeDateStamp, f.timestamp)],
        ['Symbol table', f.pointerToSymbolTable ? `${hex(f.pointerToSymbolTable)}, ${f.numberOfSymbols} symbols` : 'none'],
        ['Optional header', `${f.sizeOfOptionalHeader} bytes`], ['Characteristics', hex(f.characteristics, 4), true],
      ]} />
      <FlagList flags={f.flags} label="File characteristics" />
    </Card>
  );
}

function OptionalHeaderCard({ h }: { h: HeadersResult }) {
  const o = h.optionalHeader;
  if (!o) return <Card id="optional-header" title="Optional header"><p className="muted">None: the optional header's magic is not PE32 or PE32+.</p></Card>;
  const checksum = h.checksum;
  return (
    <Card id="optional-header" title="Optional header">
      <Facts facts={[
        ['Format', `${o.format} (${hex(o.magic, 3)})`], ['Subsystem', `${o.subsystem}, version ${o.subsystemVersion}`], ['Entry point', o.entryPoint ? `RVA ${hex(o.entryPoint)}` : 'none', true],
        ['Image base', o.imageBase, true], ['Size of image', sizeWords(o.sizeOfImage)], ['Size of headers', sizeWords(o.sizeOfHeaders)], ['Size of code', sizeWords(o.sizeOfCode)],
        ['Alignment', `sections ${hex(o.sectionAlignment, 1)}, file ${hex(o.fileAlignment, 1)}`], ['Linker', o.linkerVersion], ['OS version', o.operatingSystemVersion], ['Image version', o.imageVersion],
        ['Stack / heap reserve', `${o.sizeOfStackReserve} / ${o.sizeOfHeapReserve}`, true],
        ['Checksum', checksum ? `${hex(checksum.stored)}${checksum.stored === 0 ? ' (not set)' : checksum.matches === true ? ' (matches the file)' : checksum.matches === false ? `, the file's is ${hex(checksum.computed ?? 0)}: modified after linking` : ''}` : hex(o.checksum)],
        ['DLL characteristics', hex(o.dllCharacteristics, 4), true],
      ]} />
      <FlagList flags={o.dllFlags} label="DLL characteristics" />
    </Card>
  );
}

function SectionsCard({ h }: { h: HeadersResult }) {
  return (
    <Card id="sections" title={`Sections (${h.sections.length})`} wide>
      <table className="header-table">
        <thead><tr><th>Name</th><th className="num">Virtual address</th><th className="num">Virtual size</th><th className="num">Raw offset</th><th className="num">Raw size</th><th>Characteristics</th><th>Entropy (bits per byte, of 8)</th></tr></thead>
        <tbody>
          {h.sections.map((s, i) => (
            <tr key={`${s.name}-${i}`}>
              <th scope="row" className="mono">{s.name || '(no name)'}</th>
              <td className="num mono">{hex(s.virtualAddress)}</td><td className="num mono">{hex(s.virtualSize, 1)}</td>
              <td className="num mono">{hex(s.rawOffset)}</td><td className="num mono">{hex(s.rawSize, 1)}</td>
              <td title={`${hex(s.characteristics)}: ${s.flags.map((f) => f.name).join(' | ')}`}>{s.flags.map((f) => f.words).join(', ') || 'none'}</td>
              <td><EntropyBar section={s.name} entropy={s.entropy} note={s.entropyNote} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}

function DirectoriesCard({ h }: { h: HeadersResult }) {
  const used = h.dataDirectories.filter((d) => d.size > 0 || d.rva > 0);
  const empty = h.dataDirectories.filter((d) => d.size === 0 && d.rva === 0);
  return (
    <Card id="data-directories" title={`Data directories (${used.length} of ${h.dataDirectories.length} used)`}>
      <table className="header-table">
        <thead><tr><th className="num">#</th><th>Directory</th><th className="num">Address</th><th className="num">Size</th><th>In</th></tr></thead>
        <tbody>
          {used.map((d) => (
            <tr key={d.index}>
              <td className="num">{d.index}</td><th scope="row">{d.name}</th>
              <td className="num mono">{hex(d.rva)}</td><td className="num mono">{hex(d.size, 1)}</td>
              <td className="mono">{d.index === 4 ? 'file offset' : d.section ?? 'headers / outside'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {empty.length > 0 && <p className="muted small">Empty: {empty.map((d) => d.name).join(', ')}.</p>}
    </Card>
  );
}

function DebugCard({ h }: { h: HeadersResult }) {
  const d = h.debug;
  return (
    <Card id="debug" title="Debug directory">
      {!d ? <p className="muted">None: no PDB reference (the build kept no debug directory).</p> : (
        <Facts facts={[
          ['PDB', d.pdb?.path ?? 'none', true], ['GUID', d.pdb?.guid, true], ['Age', d.pdb ? String(d.pdb.age) : null], ['Format', d.pdb?.format],
          ['Entries', d.entries.map((e) => `${e.typeName} (${e.sizeOfData} bytes)`).join(', ')], ['Reproducible', d.reproducible ? 'yes: the timestamps are hashes' : null],
        ]} />
      )}
    </Card>
  );
}

function LoadConfigCard({ h }: { h: HeadersResult }) {
  const l = h.loadConfig;
  return (
    <Card id="load-config" title="Load config">
      {!l ? <p className="muted">None: no /GS cookie, SafeSEH table or Control Flow Guard data.</p> : (
        <>
          <Facts facts={[
            ['Size', `${l.size} bytes`], ['Security cookie', l.securityCookie ?? 'none', true], ['SafeSEH handlers', l.safeSehHandlerCount === null ? null : String(l.safeSehHandlerCount)],
            ['CFG functions', l.guardCfFunctionCount], ['Guard flags', l.guardFlags === null ? null : hex(l.guardFlags), true], ['CHPE metadata', l.chpeMetadataPointer ? `${l.chpeMetadataPointer} (ARM64EC/ARM64X hybrid)` : null, true],
          ]} />
          {l.guardFlagWords.length > 0 && <ul className="plain-list">{l.guardFlagWords.map((f) => <li key={f.name}><code>{f.name}</code> {f.words}</li>)}</ul>}
        </>
      )}
    </Card>
  );
}

function TlsAndOverlayCard({ h }: { h: HeadersResult }) {
  return (
    <Card id="tls-overlay" title="TLS callbacks and overlay">
      <Facts facts={[
        ['TLS callbacks', h.tls ? (h.tls.callbacks.length ? `${h.tls.callbacks.length}: run before DllMain, in every thread` : 'a TLS directory, no callbacks') : 'none'],
        ['Addresses', h.tls?.callbacks.length ? h.tls.callbacks.join(', ') + (h.tls.truncated ? ' (table cut short)' : '') : null, true],
        ['Overlay', h.overlay ? `${sizeWords(h.overlay.size)} at file offset ${hex(h.overlay.offset)}: data after the last section, not loaded` : 'none'],
        ['File size', sizeWords(h.fileSize)],
      ]} />
    </Card>
  );
}

function ClrCard({ h }: { h: HeadersResult }) {
  const c = h.clr;
  if (!c) return null;
  return (
    <Card id="clr" title="CLR header (.NET)">
      <Facts facts={[
        ['Runtime', c.runtimeVersion], ['Metadata', c.metadataVersion], ['Flavour', c.flavor], ['Flags', c.flags.join(', ') || 'none'],
        ['Loads in', [c.loadsIn.x86 && '32-bit', c.loadsIn.x64 && '64-bit'].filter(Boolean).join(' and ') || 'neither'],
      ]} />
    </Card>
  );
}

function Headers({ h }: { h: HeadersResult }) {
  return (
    <div className="headers-grid">
      <FileHeaderCard h={h} />
      <OptionalHeaderCard h={h} />
      <SectionsCard h={h} />
      <DirectoriesCard h={h} />
      <DebugCard h={h} />
      <LoadConfigCard h={h} />
      <TlsAndOverlayCard h={h} />
      <SignatureCard h={h} />
      <RichHeaderCard h={h} />
      <ClrCard h={h} />
      <ResourcesCard h={h} />
      {h.issues.length > 0 && (
        <Card id="issues" title="What the parser found wrong" wide>
          <ul className="plain-list">{h.issues.map((issue, i) => <li key={i}>{issue}</li>)}</ul>
        </Card>
      )}
    </div>
  );
}

/** File and optional headers, sections with entropy, directories, debug, load config, TLS, signature, Rich header, CLR and resources. */
export function HeadersPanel({ opened, report }: WorkspacePanelProps) {
  const loadable = useHeadersOf(opened.id, report.file);
  useEffect(() => { void loadHeaders(opened.id, report.file); }, [opened.id, report.file]);
  return <LoadableView loadable={loadable} what="headers">{(headers) => <Headers h={headers} />}</LoadableView>;
}
