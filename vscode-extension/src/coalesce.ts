/**
 * Runs an async task so that calls made while it runs coalesce: however many arrive meanwhile,
 * the task runs once more after the current run, and every caller waits for that run.
 */
export class Coalesced {
  private current: Promise<void> = Promise.resolve();
  private queued: Promise<void> | undefined;

  constructor(private readonly task: () => Promise<void>) {}

  /** Runs the task after the one in progress (if any); callers in the meantime share that run. */
  run(): Promise<void> {
    if (this.queued === undefined) {
      const next = this.current.then(async () => {
        this.queued = undefined;
        await this.task();
      });
      // A failed run must not stop the next ones.
      this.current = next.catch(() => undefined);
      this.queued = next;
    }
    return this.queued;
  }
}
