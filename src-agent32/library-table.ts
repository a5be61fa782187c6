// Maps the opaque handles handed to the supervisor to loaded libraries.
import { AgentFailure } from './native/platform.ts';

export class LibraryTable {
  private readonly entries = new Map<string, unknown>();
  private next = 1;

  add(native: unknown): string {
    const handle = `lib${this.next++}`;
    this.entries.set(handle, native);
    return handle;
  }

  get(handle: string): unknown {
    if (!this.entries.has(handle)) throw new AgentFailure('unknown-handle', 'UnknownHandle', `no library loaded as "${handle}"`);
    return this.entries.get(handle);
  }

  take(handle: string): unknown {
    const native = this.get(handle);
    this.entries.delete(handle);
    return native;
  }
}
