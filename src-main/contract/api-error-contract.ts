// How a request fails or succeeds across every host's edge: no Node imports (the renderer imports
// it through api-contract.ts).
import { z } from 'zod';

/** A request refused or failed, in words for the user: `code` for programs, `message` says what to do. */
export const apiErrorSchema = z.object({ code: z.string(), message: z.string() });
export type ApiErrorBody = z.infer<typeof apiErrorSchema>;

/** How a request's outcome crosses Electron's IPC, which keeps only an Error's message. */
export type Envelope<T = unknown> = { ok: true; result: T } | { ok: false; error: ApiErrorBody };

/** A request's outcome as an envelope: what the Electron IPC and the browser host's socket carry. */
export async function settle(work: () => Promise<unknown>): Promise<Envelope> {
  try {
    return { ok: true, result: await work() };
  } catch (error) {
    const apiError = error instanceof ApiError ? error : new ApiError('internal', (error as Error)?.message ?? String(error));
    return { ok: false, error: { code: apiError.code, message: apiError.message } };
  }
}

/** Error codes every host uses. */
export type ApiErrorCode = 'bad-request' | 'unknown-request' | 'not-found' | 'cancelled' | 'unsupported' | 'refused' | 'internal';

/** Thrown by a client when the service answered with an error. */
export class ApiError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'ApiError';
  }
}
