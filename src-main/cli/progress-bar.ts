/** A one-line progress bar on a terminal's stderr; silent when stderr is not a terminal. */
export class ProgressBar {
  private lastDraw = 0;
  private readonly enabled: boolean;

  constructor(private readonly total: number, private readonly stream: NodeJS.WriteStream = process.stderr) {
    this.enabled = Boolean(stream.isTTY) && total > 1;
  }

  update(done: number, label: string): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.lastDraw < 50 && done < this.total) return;
    this.lastDraw = now;
    const width = 24;
    const filled = Math.round((done / this.total) * width);
    const columns = this.stream.columns ?? 80;
    const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${this.total} ${label.replace(/[\x00-\x1f\x7f\x9b]/g, '?')}`;
    this.stream.write(`\r${line.slice(0, columns - 1).padEnd(Math.min(columns - 1, line.length))}\x1b[K`);
  }

  finish(): void {
    if (this.enabled) this.stream.write('\r\x1b[K');
  }
}
