// Small runtime checkers: every value that crosses the agent boundary goes through one.
// A failing check throws with the path below it; each enclosing object or array prepends its own
// key on the way out, so the happy path builds no path strings at all.

export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  constructor(readonly path: string, readonly expected: string) {
    super(`${path || 'value'}: expected ${expected}`);
  }

  /** The same failure seen from one level up: `segment` is a key or an "[index]". */
  within(segment: string): ValidationError {
    const path = this.path === '' ? segment : this.path.startsWith('[') ? `${segment}${this.path}` : `${segment}.${this.path}`;
    return new ValidationError(path, this.expected);
  }
}

export type Check<T> = (value: unknown) => T;

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Runs `check` on a field, naming the field if it fails. */
export function checkAt<T>(check: Check<T>, value: unknown, segment: string): T {
  try {
    return check(value);
  } catch (error) {
    throw error instanceof ValidationError ? error.within(segment) : error;
  }
}

export const str: Check<string> = (v) => {
  if (typeof v !== 'string') throw new ValidationError('', 'a string');
  return v;
};

export const num: Check<number> = (v) => {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValidationError('', 'a finite number');
  return v;
};

export const int: Check<number> = (v) => {
  if (!Number.isSafeInteger(v)) throw new ValidationError('', 'an integer');
  return v as number;
};

export const bool: Check<boolean> = (v) => {
  if (typeof v !== 'boolean') throw new ValidationError('', 'a boolean');
  return v;
};

export function intRange(min: number, max: number): Check<number> {
  return (v) => {
    const n = int(v);
    if (n < min || n > max) throw new ValidationError('', `an integer in [${min}, ${max}]`);
    return n;
  };
}

export function literal<const T extends string>(...options: T[]): Check<T> {
  return (v) => {
    if (typeof v !== 'string' || !(options as string[]).includes(v)) {
      throw new ValidationError('', `one of ${options.map((o) => JSON.stringify(o)).join(', ')}`);
    }
    return v as T;
  };
}

export function nullable<T>(check: Check<T>): Check<T | null> {
  return (v) => (v === null ? null : check(v));
}

export function optional<T>(check: Check<T>): Check<T | undefined> {
  return (v) => (v === undefined ? undefined : check(v));
}

export function arrayOf<T>(check: Check<T>, maxLength = 100_000): Check<T[]> {
  return (v) => {
    if (!Array.isArray(v)) throw new ValidationError('', 'an array');
    if (v.length > maxLength) throw new ValidationError('', `at most ${maxLength} items`);
    const out = new Array<T>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = checkAt(check, v[i], `[${i}]`);
    return out;
  };
}

export function recordOf<T>(check: Check<T>): Check<Record<string, T>> {
  return (v) => {
    if (!isRecord(v)) throw new ValidationError('', 'an object');
    const out: Record<string, T> = {};
    for (const key of Object.keys(v)) out[key] = checkAt(check, v[key], key);
    return out;
  };
}

export type Shape<T> = { [K in keyof T]-?: Check<T[K]> };

/** Checks the listed fields; unknown fields are dropped so nothing unchecked leaks through. */
export function obj<T>(shape: Shape<T>): Check<T> {
  const keys = Object.keys(shape) as (keyof T & string)[];
  const checks = keys.map((key) => shape[key] as Check<unknown>);
  return (v) => {
    if (!isRecord(v)) throw new ValidationError('', 'an object');
    const out: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) {
      const checked = checkAt(checks[i]!, v[keys[i]!], keys[i]!);
      if (checked !== undefined) out[keys[i]!] = checked;
    }
    return out as T;
  };
}

const MAX_JSON_DEPTH = 64;

/**
 * Any JSON value, nested at most 64 deep. Checked in place, not copied: values reach the checks
 * from JSON.parse, so only the depth and (for values built in code) the kinds need a look.
 */
export const json: Check<JsonValue> = (v) => {
  checkJson(v, 0);
  return v as JsonValue;
};

function checkJson(v: unknown, depth: number): void {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return;
  if (typeof v === 'number') return void num(v);
  if (depth >= MAX_JSON_DEPTH) throw new ValidationError('', `JSON nested at most ${MAX_JSON_DEPTH} deep`);
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) checkJsonAt(v[i], depth + 1, `[${i}]`);
  } else if (isRecord(v) && Object.getPrototypeOf(v) === Object.prototype) {
    for (const key of Object.keys(v)) checkJsonAt(v[key], depth + 1, key);
  } else {
    throw new ValidationError('', 'a JSON value');
  }
}

function checkJsonAt(v: unknown, depth: number, segment: string): void {
  // Scalars need no try frame; most values in a call are scalars.
  if (v === null || typeof v === 'boolean' || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))) return;
  checkAt((x) => checkJson(x, depth), v, segment);
}
