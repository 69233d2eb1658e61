/** A graphql-ws subscriber for tests: collects what arrives, the errors and how the socket closed. */
import { Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

export interface Subscriber {
  events: any[];
  errors: any[];
  closed(): { code: number; reason: string } | null;
  client: Client;
}

const clients: Client[] = [];

/** Subscribes on `base` (the app's http URL) with a token; resolves once the server has had time to register it. */
export async function subscribe(base: string, token: string | null, query: string): Promise<Subscriber> {
  const events: any[] = [];
  const errors: any[] = [];
  let closed: { code: number; reason: string } | null = null;
  const client = createClient({
    url: `${base.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0, lazy: false,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    // Refusals are asserted through `closed`; the default handler would print them.
    onNonLazyError: () => undefined,
    on: { closed: (e) => (closed = { code: (e as { code: number }).code, reason: (e as { reason: string }).reason }) },
  });
  clients.push(client);
  client.subscribe({ query }, { next: (v) => events.push(v.data), error: (e) => errors.push(e), complete: () => undefined });
  await new Promise((r) => setTimeout(r, 300));
  return { events, errors, closed: () => closed, client };
}

export async function disposeSubscribers(): Promise<void> {
  await Promise.all(clients.splice(0).map((c) => c.dispose()));
}

/** Waits until `test` holds or `ms` pass (the assertion after it says what was expected). */
export async function until(test: () => boolean, ms = 5000): Promise<void> {
  const started = Date.now();
  while (!test() && Date.now() - started < ms) await new Promise((r) => setTimeout(r, 25));
}
