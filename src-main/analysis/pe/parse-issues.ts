/** A structure that could not be read as the format says, with where it was met. */
export interface ParseIssue {
  /** The PE structure, e.g. "export directory", "import descriptor #3". */
  structure: string;
  /** File offset where the problem was found, when it has one. */
  offset: number | null;
  message: string;
}

const MAX_ISSUES = 200;

/** Collects malformed-structure reports; capped so a hostile file cannot flood it. */
export class IssueLog {
  readonly issues: ParseIssue[] = [];
  private dropped = 0;

  add(structure: string, offset: number | null, message: string): void {
    if (this.issues.length < MAX_ISSUES) this.issues.push({ structure, offset, message });
    else this.dropped++;
  }

  /** The issues, with one closing entry saying how many were dropped past the cap. */
  list(): ParseIssue[] {
    if (this.dropped === 0) return [...this.issues];
    return [...this.issues, { structure: 'parser', offset: null, message: `${this.dropped} further problems not listed` }];
  }
}
