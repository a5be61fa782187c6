// koffi through require, after stdio-streams.ts: loading it (its ESM entry imports node:util)
// makes Node create process.stderr, which would throw EBADF under Wine without the replacement.
import './stdio-streams.ts';
import { createRequire } from 'node:module';
import type Koffi from 'koffi';

export const koffi = createRequire(import.meta.url)('koffi') as typeof Koffi;
