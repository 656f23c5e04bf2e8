// A progress bar on stderr for long copies (backup, restore), drawn only on a
// terminal: `[#########...........]  45%  12.3 MiB / 27.0 MiB  3.1 s`, as
// influx backup and vmbackup report progress while they copy.

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${v.toFixed(1)} ${units[i]}`;
}

export class ProgressBar {
  private done = 0;
  private lastDraw = 0;
  private readonly started = Date.now();
  private readonly tty: boolean;

  constructor(
    private readonly total: number,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {
    this.tty = out.isTTY === true;
  }

  add(bytes: number): void {
    this.done += bytes;
    const now = Date.now();
    if (this.tty && now - this.lastDraw >= 100) {
      this.lastDraw = now;
      this.draw();
    }
  }

  private draw(): void {
    const frac = this.total > 0 ? Math.min(1, this.done / this.total) : 1;
    const width = 30;
    const filled = Math.round(frac * width);
    const secs = ((Date.now() - this.started) / 1000).toFixed(1);
    this.out.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(frac * 100)).padStart(3)}%  ${formatBytes(this.done)} / ${formatBytes(this.total)}  ${secs} s`);
  }

  /** Draws the final state and ends the line; answers the seconds elapsed. */
  finish(): number {
    if (this.tty) {
      this.draw();
      this.out.write('\n');
    }
    return (Date.now() - this.started) / 1000;
  }
}
