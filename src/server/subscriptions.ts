/**
 * graphql-ws on the same /graphql path: a client authenticates in connection_init with the same token
 * (`{ authorization: "Bearer cmdb_..." }`) and gets its role's view of each event. A subscriber that does not read
 * fast enough is disconnected (close code 1013) rather than growing the server's memory, and while the event bus
 * is down (Redis unreachable) subscriptions are refused and open ones closed (1011) instead of waiting in silence.
 */
import type { Server } from 'http';
import { GraphQLError, GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { Principal } from '../auth/principal';
import { EventBus } from '../events/event-bus';
import { RequestContext } from '../resolvers/context';
import { boundedStream } from './bounded-stream';

/** Unsent bytes a subscriber may leave queued before it is dropped. */
export const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/** Events a subscriber may leave unread before it is dropped. */
export const MAX_UNREAD_EVENTS = 1000;
export const CLOSE_TOO_SLOW = 1013;
export const CLOSE_BUS_DOWN = 1011;

type Extra = { principal: Principal };

const isAsyncIterable = (x: unknown): x is AsyncIterable<unknown> => !!x && typeof (x as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
/** A WebSocket close reason is at most 123 bytes. */
const reason = (text: string) => Buffer.from(text).subarray(0, 123).toString();

export function serveSubscriptions(
  httpServer: Server, schema: GraphQLSchema, authenticate: (header: string | undefined) => Promise<Principal>,
  context: (principal: Principal) => RequestContext, bus: EventBus,
): { stop(): Promise<void> } {
  const wss = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const server = useServer<Record<string, unknown> | undefined, Extra>({
    schema,
    onConnect: async (ctx) => {
      const header = ctx.connectionParams?.authorization;
      try {
        ctx.extra.principal = await authenticate(typeof header === 'string' ? header : undefined);
        return true;
      } catch {
        return false; // 4403 Forbidden: no or an invalid token
      }
    },
    onSubscribe: () => {
      if (bus.outage) return [new GraphQLError(`live events are unavailable: ${bus.outage}`, { extensions: { code: 'SERVICE_UNAVAILABLE' } })];
      return undefined;
    },
    context: (ctx) => context(ctx.extra.principal!),
    onOperation: (ctx, _id, _payload, _args, result) => {
      if (!isAsyncIterable(result)) return undefined;
      const socket = ctx.extra.socket;
      return boundedStream(result, MAX_UNREAD_EVENTS, () => socket.close(CLOSE_TOO_SLOW, reason(`subscriber too slow: over ${MAX_UNREAD_EVENTS} events unread`))) as typeof result;
    },
    onNext: (ctx) => {
      const socket = ctx.extra.socket;
      if (socket.bufferedAmount > MAX_BUFFERED_BYTES) socket.close(CLOSE_TOO_SLOW, reason(`subscriber too slow: over ${MAX_BUFFERED_BYTES} bytes unsent`));
    },
  }, wss);
  const stopWatching = bus.onOutage((outage) => {
    if (!outage) return;
    for (const socket of wss.clients) socket.close(CLOSE_BUS_DOWN, reason(`live events are unavailable: ${outage}`));
  });
  return {
    async stop() {
      stopWatching();
      await server.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
