import { BusyError, ConcurrencyGate } from '../../src/runtime/concurrency-gate';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

it('runs at most `concurrency` at once, the rest in arrival order, and refuses beyond the queue', async () => {
  const gate = new ConcurrencyGate({ concurrency: 2, maxQueued: 2, queueTimeoutMs: 10_000 });
  const started: number[] = [];
  const blockers = [0, 1, 2, 3].map(() => deferred());
  const runs = blockers.map((b, i) => gate.run(async () => {
    started.push(i);
    await b.promise;
    return i;
  }));
  await new Promise((r) => setImmediate(r));
  expect(started).toEqual([0, 1]);
  expect(gate.stats).toEqual({ running: 2, queued: 2 });
  await expect(gate.run(async () => 'late')).rejects.toBeInstanceOf(BusyError);
  blockers[1].resolve();
  await runs[1];
  await new Promise((r) => setImmediate(r));
  expect(started).toEqual([0, 1, 2]);
  for (const b of blockers) b.resolve();
  expect(await Promise.all(runs)).toEqual([0, 1, 2, 3]);
  expect(gate.stats).toEqual({ running: 0, queued: 0 });
});

it('refuses a caller that waited too long, and a failing run frees its slot', async () => {
  const gate = new ConcurrencyGate({ concurrency: 1, maxQueued: 5, queueTimeoutMs: 50 });
  const hold = deferred();
  const first = gate.run(() => hold.promise);
  await expect(gate.run(async () => 'waited')).rejects.toThrow(/waited 0.05 s/);
  hold.resolve();
  await first;
  await expect(gate.run(async () => { throw new Error('boom'); })).rejects.toThrow('boom');
  expect(await gate.run(async () => 'free')).toBe('free');
  expect(gate.stats).toEqual({ running: 0, queued: 0 });
});
