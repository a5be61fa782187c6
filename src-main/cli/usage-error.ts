/** A command-line mistake: printed in one line with a pointer to the command's help, exit code 2. */
export class UsageError extends Error {
  constructor(message: string, readonly usage: string = '') {
    super(message);
    this.name = 'UsageError';
  }
}

/** Output that cannot be written (--out into a missing folder, a folder, a read-only file): exit 3. */
export class OutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputError';
  }
}

/** Exit codes shared by every command. */
export const EXIT = { ok: 0, problem: 1, usage: 2, unreadable: 3, noInput: 4, agentUnavailable: 5 } as const;
