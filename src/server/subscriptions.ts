/**
 * graphql-ws on the same /graphql path: a client authenticates in connection_init with the same token
 * (`{ authorization: "Bearer cmdb_..." }`) and gets its role's view of each event. A subscriber that does not read
 * fast enough is disconnected (close code 1013) rather than growing the server's memory.
 */
import type { Server } from 'http';
import { GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { Principal } from '../auth/principal';
import { RequestContext } from '../resolvers/context';

/** Unsent bytes a subscriber may leave queued before it is dropped. */
export const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

type Extra = { principal: Principal };

export function serveSubscriptions(
  httpServer: Server, schema: GraphQLSchema, authenticate: (header: string | undefined) => Promise<Principal>,
  context: (principal: Principal) => RequestContext,
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
    context: (ctx) => context(ctx.extra.principal!),
    onNext: (ctx) => {
      const socket = ctx.extra.socket;
      if (socket.bufferedAmount > MAX_BUFFERED_BYTES) socket.close(1013, `subscriber too slow: over ${MAX_BUFFERED_BYTES} bytes unsent`);
    },
  }, wss);
  return {
    async stop() {
      await server.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
