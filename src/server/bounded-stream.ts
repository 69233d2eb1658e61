/**
 * A subscription's events, read ahead into a queue of at most `max`: a subscriber that does not keep up is dropped
 * (onOverflow) instead of its events piling up in memory or overflowing the PubSub's own queue, which throws
 * inside the publisher.
 */
export function boundedStream<T>(source: AsyncIterable<T>, max: number, onOverflow: () => void): AsyncIterableIterator<T> {
  const queue: T[] = [];
  let waiting: ((r: IteratorResult<T>) => void) | null = null;
  let done = false;
  const iterator = source[Symbol.asyncIterator]();
  // A function, not a variable read: TypeScript does not see that next() assigns `waiting` between awaits.
  const take = () => {
    const w = waiting;
    waiting = null;
    return w;
  };
  const finish = () => {
    done = true;
    take()?.({ value: undefined, done: true });
  };
  void (async () => {
    try {
      for (;;) {
        const next = await iterator.next();
        if (next.done || done) break;
        const w = take();
        if (w) w({ value: next.value, done: false });
        else if (queue.length >= max) {
          onOverflow();
          break;
        } else queue.push(next.value);
      }
    } catch {
      // The source failed: end the stream (the socket is closed by whoever failed it).
    }
    await iterator.return?.();
    queue.length = 0;
    finish();
  })();
  return {
    next: () => {
      if (queue.length) return Promise.resolve({ value: queue.shift()!, done: false });
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => (waiting = resolve));
    },
    return: async () => {
      queue.length = 0;
      finish();
      await iterator.return?.();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
