// A readers-writer lock that prefers writers: once an exclusive holder waits,
// new shared holders queue behind it, so a flush commit is never starved by a
// steady stream of writes.

export class RwLock {
  private readers = 0;
  private writer = false;
  private waiting: Array<{ exclusive: boolean; resolve: () => void }> = [];

  async shared(): Promise<() => void> {
    if (!this.writer && !this.waiting.some((w) => w.exclusive)) {
      this.readers++;
      return () => this.releaseShared();
    }
    await new Promise<void>((resolve) => this.waiting.push({ exclusive: false, resolve }));
    return () => this.releaseShared();
  }

  async exclusive(): Promise<() => void> {
    if (!this.writer && this.readers === 0 && this.waiting.length === 0) {
      this.writer = true;
      return () => this.releaseExclusive();
    }
    await new Promise<void>((resolve) => this.waiting.push({ exclusive: true, resolve }));
    return () => this.releaseExclusive();
  }

  private releaseShared(): void {
    this.readers--;
    this.drain();
  }

  private releaseExclusive(): void {
    this.writer = false;
    this.drain();
  }

  private drain(): void {
    while (this.waiting.length > 0 && !this.writer) {
      const next = this.waiting[0];
      if (next.exclusive) {
        if (this.readers > 0) return;
        this.waiting.shift();
        this.writer = true;
        next.resolve();
        return;
      }
      this.waiting.shift();
      this.readers++;
      next.resolve();
    }
  }
}
