/** Raised when the queue for expensive work is full, or a caller waited longer than the gate allows. */
export class BusyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BusyError';
  }
}

export interface GateOptions {
  /** How many run at once. */
  concurrency: number;
  /** How many may wait; beyond that callers are refused at once. */
  maxQueued: number;
  /** How long one may wait before it is refused. */
  queueTimeoutMs: number;
}

/**
 * Bounds how many expensive operations (impact walks, root-cause and single-point-of-failure analyses) run at
 * once in this process, so a burst of them queues instead of taking every Neo4j connection and both cores
 * from cheap reads. A dozen lines of FIFO semaphore; p-limit, the usual package, is ESM-only and has no queue
 * bound or wait timeout.
 */
export class ConcurrencyGate {
  private running = 0;
  private readonly waiting: { start: () => void; timer: NodeJS.Timeout }[] = [];

  constructor(readonly opts: GateOptions) {}

  get stats(): { running: number; queued: number } {
    return { running: this.running, queued: this.waiting.length };
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.opts.concurrency) await this.wait();
    else this.running++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) {
        clearTimeout(next.timer);
        next.start(); // the slot passes on: running stays the same
      } else {
        this.running--;
      }
    }
  }

  private wait(): Promise<void> {
    if (this.waiting.length >= this.opts.maxQueued) {
      return Promise.reject(new BusyError(`${this.opts.concurrency} expensive operations are running and ${this.waiting.length} are waiting; retry shortly`));
    }
    return new Promise<void>((resolve, reject) => {
      const entry = {
        start: resolve,
        timer: setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(entry), 1);
          reject(new BusyError(`waited ${this.opts.queueTimeoutMs / 1000} s for one of ${this.opts.concurrency} slots for expensive operations; retry shortly`));
        }, this.opts.queueTimeoutMs),
      };
      this.waiting.push(entry);
    });
  }
}

/** No bound: for in-process callers and tests that do not exercise the gate. */
export const unboundedGate = () => new ConcurrencyGate({ concurrency: Number.MAX_SAFE_INTEGER, maxQueued: 0, queueTimeoutMs: 0 });
