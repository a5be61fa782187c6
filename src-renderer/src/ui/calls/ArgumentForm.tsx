import type { ParamField } from '../../../../src-main/contract/api-contract.ts';
import { updateDraft } from '../../store/call-actions.ts';
import { callStore, useDraft, useFieldErrors } from '../../store/call-slice.ts';
import type { FormValues } from './argument-values.ts';

function setValue(key: string, value: string | boolean): void {
  updateDraft({ values: { ...callStore.getState().draft.values, [key]: value } });
}

const HINTS: Partial<Record<ParamField['kind'], string>> = {
  integer: 'decimal or 0x hex', float: 'number', 'out-scalar': 'out: leave empty, or an initial value', pointer: 'address 0x… or empty for NULL',
};

function hintOf(field: ParamField): string {
  if (field.kind === 'integer') return `${field.signed ? '' : 'unsigned '}${field.bits}-bit, ${HINTS.integer}`;
  return HINTS[field.kind] ?? '';
}

function Field({ field, path, values, errors }: { field: ParamField; path: string; values: FormValues; errors: Record<string, string> }) {
  const id = `arg-${path.replace(/\./g, '-')}`;
  const error = errors[path];
  const isNull = field.nullable && values[`${path}#null`] === true;
  const label = `${field.name} (${field.type})`;
  const describedBy = error ? `${id}-error` : undefined;
  const nullBox = field.nullable && field.kind !== 'out-scalar' && field.kind !== 'pointer' && (
    <label className="inline small"><input type="checkbox" checked={isNull} onChange={(e) => setValue(`${path}#null`, e.target.checked)} /> NULL</label>
  );
  if (field.kind === 'struct') {
    return (
      <fieldset className="struct-field">
        <legend>{label}</legend>
        {nullBox}
        {!isNull && (field.fields ?? []).map((f) => <Field key={f.name} field={f} path={`${path}.${f.name}`} values={values} errors={errors} />)}
      </fieldset>
    );
  }
  const input = (() => {
    if (isNull) return <span className="muted small">NULL</span>;
    switch (field.kind) {
      case 'bool':
        return <input id={id} type="checkbox" checked={values[path] === true} onChange={(e) => setValue(path, e.target.checked)} />;
      case 'enum':
        return (
          <select id={id} value={String(values[path] ?? '')} aria-invalid={Boolean(error)} aria-describedby={describedBy} onChange={(e) => setValue(path, e.target.value)}>
            <option value="">choose…</option>
            {Object.entries(field.enumValues ?? {}).map(([name, value]) => <option key={name} value={name}>{name} = {value}</option>)}
          </select>
        );
      case 'buffer':
        return <BufferInput label={label} path={path} values={values} error={error} />;
      case 'string':
      case 'wide-string':
        return (
          <span className="row">
            <input id={id} type="text" className="grow" value={String(values[path] ?? '')} aria-invalid={Boolean(error)} aria-describedby={describedBy} onChange={(e) => setValue(path, e.target.value)} />
            <select aria-label={`${field.name} encoding`} value={String(values[`${path}#enc`] ?? (field.kind === 'wide-string' ? 'utf16' : 'utf8'))} onChange={(e) => setValue(`${path}#enc`, e.target.value)}>
              {field.kind === 'string' && <option value="utf8">UTF-8</option>}
              {field.kind === 'string' && <option value="ansi">ANSI (1252)</option>}
              <option value="utf16">UTF-16</option>
            </select>
          </span>
        );
      default:
        return (
          <input
            id={id} type="text" className="mono" value={String(values[path] ?? '')} placeholder={hintOf(field)} inputMode={field.kind === 'float' ? 'decimal' : undefined}
            aria-invalid={Boolean(error)} aria-describedby={describedBy} onChange={(e) => setValue(path, e.target.value)}
          />
        );
    }
  })();
  return (
    <div className={`arg-field ${error ? 'has-error' : ''}`}>
      {field.kind === 'buffer' ? <span className="arg-label">{label}</span> : <label htmlFor={id} className="arg-label">{label}</label>}
      <div className="arg-input">{input}{nullBox}</div>
      {error && <span id={`${id}-error`} className="field-error" role="alert">{error}</span>}
    </div>
  );
}

function BufferInput({ label, path, values, error }: { label: string; path: string; values: FormValues; error: string | undefined }) {
  const mode = String(values[`${path}#mode`] ?? 'out');
  return (
    <span className="row buffer-input" role="group" aria-label={label}>
      <select aria-label="buffer kind" value={mode} onChange={(e) => setValue(`${path}#mode`, e.target.value)}>
        <option value="out">out buffer</option>
        <option value="hex">in/out, hex</option>
        <option value="text">in/out, text</option>
      </select>
      {mode !== 'out' && <input aria-label="buffer content" type="text" className="mono grow" value={String(values[path] ?? '')} onChange={(e) => setValue(path, e.target.value)} />}
      <label className="inline small">size <input type="number" min={0} className="narrow" aria-invalid={Boolean(error)} value={String(values[`${path}#size`] ?? '')} onChange={(e) => setValue(`${path}#size`, e.target.value)} /></label>
    </span>
  );
}

/** One field per parameter, following the prototype; bad input is marked on its field. */
export function ArgumentForm({ params }: { params: ParamField[] }) {
  const { values } = useDraft();
  const errors = useFieldErrors();
  if (params.length === 0) return <p className="muted small">No arguments.</p>;
  return (
    <fieldset className="argument-form">
      <legend>Arguments</legend>
      {params.map((field, index) => <Field key={`${index}-${field.name}`} field={field} path={String(index)} values={values} errors={errors} />)}
    </fieldset>
  );
}
