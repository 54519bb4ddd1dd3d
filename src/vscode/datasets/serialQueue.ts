// Validates the workspace's datasets one at a time in the background: never several 200 MB files at once,
// never twice the same file in a row, and the newest request for a file replaces an older pending one.
export class SerialQueue<K> {
  private readonly pending: K[] = [];
  private running: K | undefined;
  private idle: Promise<void> = Promise.resolve();
  private settle: (() => void) | undefined;
  private disposed = false;

  constructor(
    private readonly work: (key: K) => Promise<void>,
    private readonly onError: (key: K, error: unknown) => void,
  ) {}

  enqueue(key: K): void {
    if (this.disposed || this.pending.includes(key)) return;
    this.pending.push(key);
    if (this.running === undefined) this.start();
  }

  /** Removes a pending request (the file was deleted); a running one finishes and is then ignored by its owner. */
  drop(key: K): void {
    const index = this.pending.indexOf(key);
    if (index >= 0) this.pending.splice(index, 1);
  }

  get size(): number {
    return this.pending.length + (this.running === undefined ? 0 : 1);
  }

  /** Resolves when nothing is pending or running. */
  whenIdle(): Promise<void> {
    return this.idle;
  }

  dispose(): void {
    this.disposed = true;
    this.pending.length = 0;
  }

  private start(): void {
    this.idle = new Promise((resolve) => (this.settle = resolve));
    void this.loop();
  }

  private async loop(): Promise<void> {
    while (!this.disposed && this.pending.length > 0) {
      const key = this.pending.shift() as K;
      this.running = key;
      try {
        await this.work(key);
      } catch (error) {
        this.onError(key, error);
      }
      this.running = undefined;
    }
    this.settle?.();
  }
}
