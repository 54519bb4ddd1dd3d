// Per-key trailing debounce: a burst of keystrokes in one document publishes diagnostics once, when typing
// pauses, while other documents keep their own timers.
export class KeyedDebouncer<K> {
  private readonly timers = new Map<K, ReturnType<typeof setTimeout>>();

  constructor(private delayMs: number) {}

  setDelay(delayMs: number): void {
    this.delayMs = delayMs;
  }

  /** Runs `action` after the delay, replacing any action still pending for the same key. */
  schedule(key: K, action: () => void): void {
    this.cancel(key);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        action();
      }, this.delayMs),
    );
  }

  cancel(key: K): void {
    const timer = this.timers.get(key);
    if (timer !== undefined) clearTimeout(timer);
    this.timers.delete(key);
  }

  isPending(key: K): boolean {
    return this.timers.has(key);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
