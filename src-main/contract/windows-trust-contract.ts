// "Ask Windows" about a file's signature (WinVerifyTrust through an agent): the UI contract's part.
import { z } from 'zod';

const trustVerdictSchema = z.object({ hresult: z.number(), name: z.string(), message: z.string() });

export const windowsTrustArgsSchema = z.object({ id: z.string(), file: z.string() });

export const windowsTrustResultSchema = z.object({
  /** Answered by WinVerifyTrust, or why not. */
  answered: z.boolean(),
  /** The deciding answer in one line (the catalog's where one holds the file), or why there is none. */
  line: z.string(),
  embedded: trustVerdictSchema.nullable(),
  catalog: z.object({ path: z.string(), memberTag: z.string(), verdict: trustVerdictSchema }).nullable(),
  catalogSearch: z.string().nullable(),
  runtime: z.string().nullable(),
  /** Under Wine: that the answer is Wine's implementation, not Windows'. */
  note: z.string().nullable(),
});
export type WindowsTrustView = z.infer<typeof windowsTrustResultSchema>;
