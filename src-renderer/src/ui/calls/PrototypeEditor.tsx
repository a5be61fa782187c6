import type { SourceProblem } from '../../../../src-main/contract/api-contract.ts';
import { prefillFor, updateDeclarations, updateDraft } from '../../store/call-actions.ts';
import { useCheck, useDraft } from '../../store/call-slice.ts';

/** The text with the problem's span marked, so the error sits where it is. */
function MarkedSource({ text, problem }: { text: string; problem: SourceProblem }) {
  const end = Math.max(problem.end, problem.start + 1);
  return (
    <code className="marked-source" aria-hidden="true">
      {text.slice(0, problem.start)}<mark>{text.slice(problem.start, end) || ' '}</mark>{text.slice(end)}
    </code>
  );
}

function TypeGrammar() {
  return (
    <details className="grammar">
      <summary>Type grammar</summary>
      <ul>
        <li><code>ret [__stdcall|__cdecl|__fastcall|__thiscall] name(type name, …)</code>; <code>void</code> for none.</li>
        <li>Integers: <code>int8_t … uint64_t</code>, <code>int</code>, <code>long</code>, <code>DWORD</code>, <code>size_t</code>; 64-bit values are exact.</li>
        <li><code>float</code>, <code>double</code>, <code>bool</code>; strings <code>const char *</code>, <code>const wchar_t *</code>.</li>
        <li>Buffers: <code>char *buf</code>, <code>void *</code>, <code>uint8_t *</code>; out values: <code>_Out_ int *n</code>, in-out: <code>_Inout_</code>.</li>
        <li>Structs and enums: declare them below, then use <code>Size *s</code> or <code>Size s</code>.</li>
      </ul>
    </details>
  );
}

/** Export name, prototype (checked as you type) and the DLL's declarations. */
export function PrototypeEditor({ dll }: { dll: string }) {
  const draft = useDraft();
  const { check, note, guessed } = useCheck();
  const problem = check?.problem ?? null;
  const inPrototype = problem?.source === 'prototype';
  const inDeclarations = problem?.source === 'declarations';
  return (
    <div className="prototype-editor">
      <div className="row">
        <label className="grow">Export
          <input
            type="text" value={draft.exportName} placeholder="e.g. add_numbers" spellCheck={false} onChange={(e) => updateDraft({ exportName: e.target.value })}
            onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); void prefillFor(dll, draft.exportName); } }}
          />
        </label>
        <button type="button" onClick={() => void prefillFor(dll, draft.exportName)}>Prefill prototype</button>
      </div>
      <label className="block">Prototype
        <input
          type="text" className="mono" value={draft.prototype} spellCheck={false} placeholder="int __stdcall Add(int a, int b)"
          aria-invalid={inPrototype} aria-describedby="prototype-status" onChange={(e) => updateDraft({ prototype: e.target.value })}
        />
      </label>
      <div id="prototype-status" className={`check-status ${problem ? 'bad' : check?.ok ? 'good' : ''}`} role="status">
        {inPrototype && <MarkedSource text={draft.prototype} problem={problem} />}
        {problem ? <span>{problem.source === 'declarations' ? 'Declarations: ' : ''}{problem.message}</span>
          : check?.ok ? <span>{check.name}: {check.params.length} parameter{check.params.length === 1 ? '' : 's'}, returns {check.returns}{check.convention ? `, ${check.convention}` : ''}</span> : null}
      </div>
      {note && <p className={`prefill-note ${guessed ? 'guess' : ''}`} data-testid="prefill-note">{guessed && <strong>Guess. </strong>}{note}</p>}
      <TypeGrammar />
      <details className="declarations" open={draft.declarations !== '' || inDeclarations}>
        <summary>Declarations for this DLL</summary>
        <label className="block">Struct, enum and typedef declarations (remembered for this DLL)
          <textarea
            className="mono" rows={3} value={draft.declarations} spellCheck={false} aria-invalid={inDeclarations}
            placeholder="typedef struct Size { int width; int height; } Size;" onChange={(e) => updateDeclarations(e.target.value)}
          />
        </label>
        {inDeclarations && <MarkedSource text={draft.declarations} problem={problem} />}
      </details>
    </div>
  );
}
