// Small runtime checkers: every value that crosses the agent boundary goes through one.

export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  constructor(readonly path: string, readonly expected: string) {
    super(`${path || 'value'}: expected ${expected}`);
  }
}

export type Check<T> = (value: unknown, path: string) => T;

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const str: Check<string> = (v, p) => {
  if (typeof v !== 'string') throw new ValidationError(p, 'a string');
  return v;
};

export const num: Check<number> = (v, p) => {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValidationError(p, 'a finite number');
  return v;
};

export const int: Check<number> = (v, p) => {
  if (!Number.isSafeInteger(v)) throw new ValidationError(p, 'an integer');
  return v as number;
};

export const bool: Check<boolean> = (v, p) => {
  if (typeof v !== 'boolean') throw new ValidationError(p, 'a boolean');
  return v;
};

export function intRange(min: number, max: number): Check<number> {
  return (v, p) => {
    const n = int(v, p);
    if (n < min || n > max) throw new ValidationError(p, `an integer in [${min}, ${max}]`);
    return n;
  };
}

export function literal<const T extends string>(...options: T[]): Check<T> {
  return (v, p) => {
    if (typeof v !== 'string' || !(options as string[]).includes(v)) {
      throw new ValidationError(p, `one of ${options.map((o) => JSON.stringify(o)).join(', ')}`);
    }
    return v as T;
  };
}

export function nullable<T>(check: Check<T>): Check<T | null> {
  return (v, p) => (v === null ? null : check(v, p));
}

export function optional<T>(check: Check<T>): Check<T | undefined> {
  return (v, p) => (v === undefined ? undefined : check(v, p));
}

export function arrayOf<T>(check: Check<T>, maxLength = 100_000): Check<T[]> {
  return (v, p) => {
    if (!Array.isArray(v)) throw new ValidationError(p, 'an array');
    if (v.length > maxLength) throw new ValidationError(p, `at most ${maxLength} items`);
    return v.map((item, i) => check(item, `${p}[${i}]`));
  };
}

export function recordOf<T>(check: Check<T>): Check<Record<string, T>> {
  return (v, p) => {
    if (!isRecord(v)) throw new ValidationError(p, 'an object');
    const out: Record<string, T> = {};
    for (const [k, item] of Object.entries(v)) out[k] = check(item, `${p}.${k}`);
    return out;
  };
}

export type Shape<T> = { [K in keyof T]-?: Check<T[K]> };

/** Checks the listed fields; unknown fields are dropped so nothing unchecked leaks through. */
export function obj<T>(shape: Shape<T>): Check<T> {
  return (v, p) => {
    if (!isRecord(v)) throw new ValidationError(p, 'an object');
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(shape) as (keyof T & string)[]) {
      const checked = shape[key](v[key], p ? `${p}.${key}` : key);
      if (checked !== undefined) out[key] = checked;
    }
    return out as T;
  };
}

export const json: Check<JsonValue> = (v, p) => jsonAt(v, p, 0);

function jsonAt(v: unknown, p: string, depth: number): JsonValue {
  if (depth > 64) throw new ValidationError(p, 'JSON nested at most 64 deep');
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') return num(v, p);
  if (Array.isArray(v)) return v.map((item, i) => jsonAt(item, `${p}[${i}]`, depth + 1));
  if (isRecord(v)) {
    const out: { [key: string]: JsonValue } = {};
    for (const [k, item] of Object.entries(v)) out[k] = jsonAt(item, `${p}.${k}`, depth + 1);
    return out;
  }
  throw new ValidationError(p, 'a JSON value');
}
