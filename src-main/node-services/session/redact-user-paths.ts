import { homedir, userInfo } from 'node:os';

/** Who to hide: the home folder and user name of this machine, besides any /home/x, C:\Users\x. */
export interface RedactionTarget {
  home: string | null;
  user: string | null;
}

export function currentUser(): RedactionTarget {
  try {
    return { home: homedir() || null, user: userInfo().username || null };
  } catch {
    return { home: null, user: null };
  }
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Replaces home folders and the user's name in one string with <home> and <user>. */
export function redactText(text: string, target: RedactionTarget): string {
  let out = text;
  if (target.home && target.home !== '/') out = out.split(target.home).join('<home>');
  out = out.replace(/([A-Za-z]:[\\/]+(?:Users|Documents and Settings)[\\/]+)[^\\/"'<>\s]+/gi, '$1<user>');
  out = out.replace(/(^|[\s"'(=:])(\/(?:home|Users)\/)(?!<user>)[^/"'<>\s]+/g, '$1$2<user>');
  if (target.user && target.user.length >= 3) out = out.replace(new RegExp(`\\b${escapeRegExp(target.user)}\\b`, 'gi'), '<user>');
  return out;
}

/** A deep copy of a JSON value with every string redacted (keys too: trees are keyed by path). */
export function redactValue<T>(value: T, target: RedactionTarget = currentUser()): T {
  const visit = (v: unknown): unknown => {
    if (typeof v === 'string') return redactText(v, target);
    if (Array.isArray(v)) return v.map(visit);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, inner]) => [redactText(k, target), visit(inner)]));
    return v;
  };
  return visit(value) as T;
}
