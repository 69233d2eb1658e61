/**
 * The shared topics over Redis pub/sub (@graphql-yoga/redis-event-target on ioredis), so that an event published
 * on any API instance reaches subscribers on every instance, once. Writers never wait for Redis: a publish during
 * an outage is dropped (not queued without bound), and the outage is reported to subscribers instead of leaving them
 * waiting (see serveSubscriptions).
 */
import { createPubSub } from '@graphql-yoga/subscription';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { Redis } from 'ioredis';
import { EventBus, SharedTopics } from './event-bus';

const redactUrl = (url: string) => url.replace(/\/\/[^@/]*@/, '//***@');

export async function createRedisEventBus(url: string, log: (msg: string) => void = () => undefined, readyTimeoutMs = 5000): Promise<EventBus> {
  // disableClientInfo: ioredis 5.8.2+ can lose a SUBSCRIBE sent while the ready check runs (redis/ioredis#2037).
  const options = { disableClientInfo: true, maxRetriesPerRequest: 1, retryStrategy: (attempt: number) => Math.min(attempt * 200, 2000) };
  // No offline queue for publishes: an outage must not grow memory with every write made meanwhile.
  const publisher = new Redis(url, { ...options, enableOfflineQueue: false });
  // Subscriptions are few and must survive a reconnect: those may wait for the connection (and are resubscribed).
  const subscriber = new Redis(url, options);
  const where = redactUrl(url);
  let bus: EventBus | null = null;
  const update = () => {
    const down = [publisher, subscriber].find((c) => c.status !== 'ready');
    // Subscribers are told that Redis is down, not where it runs.
    bus?.setOutage(down ? 'the event bus (Redis) is unreachable' : null);
  };
  let lastError = '';
  for (const client of [publisher, subscriber]) {
    client.on('error', (err: Error) => {
      if (err.message !== lastError) log(`redis at ${where}: ${err.message}`);
      lastError = err.message;
    });
    for (const event of ['ready', 'close', 'end', 'reconnecting']) client.on(event, update);
  }
  const target = createRedisEventTarget<CustomEvent>({
    // The library does not await publish; a rejected one (Redis down) would be an unhandled rejection.
    publishClient: { publish: (channel: string, message: string) => publisher.publish(channel, message).catch(() => 0) } as unknown as Redis,
    subscribeClient: subscriber,
  });
  bus = new EventBus(createPubSub<SharedTopics>({ eventTarget: target as never }), 'redis', async () => {
    publisher.disconnect();
    subscriber.disconnect();
  });
  await Promise.race([
    Promise.all([publisher, subscriber].map((c) => (c.status === 'ready' ? null : new Promise((resolve) => c.once('ready', resolve))))),
    new Promise((resolve) => setTimeout(resolve, readyTimeoutMs).unref()),
  ]);
  update();
  if (bus.outage) log(`${bus.outage}; writes go on, subscriptions are refused until it is back`);
  return bus;
}
