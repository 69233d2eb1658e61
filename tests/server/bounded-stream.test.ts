/**
 * A subscriber that stops reading is dropped once its unread events reach the bound, and publishers never see it:
 * without the bound, the PubSub's own queue throws inside publish() past 1,024 unread events.
 */
import { createPubSub } from '@graphql-yoga/subscription';
import { boundedStream } from '../../src/server/bounded-stream';

type Topics = { T: [number] };

it('drops a subscriber that does not read past the bound, without the publisher noticing', async () => {
  const pubsub = createPubSub<Topics>();
  let overflows = 0;
  // Read ahead from the start, never read from here.
  const stalled = boundedStream(pubsub.subscribe('T'), 100, () => overflows++);
  const reader = boundedStream(pubsub.subscribe('T'), 100, () => overflows++);
  const read: number[] = [];
  const reading = (async () => {
    for await (const n of reader) {
      read.push(n);
      if (n === 2999) break;
    }
  })();
  for (let i = 0; i < 3000; i++) {
    expect(() => pubsub.publish('T', i)).not.toThrow();
    if (i % 50 === 0) await new Promise((r) => setImmediate(r));
  }
  await reading;
  expect(overflows).toBe(1);
  expect(read).toEqual(Array.from({ length: 3000 }, (_, i) => i));
  // The dropped stream ends: what it had queued is gone, not kept.
  const rest: number[] = [];
  for await (const n of stalled) rest.push(n);
  expect(rest).toEqual([]);
});
