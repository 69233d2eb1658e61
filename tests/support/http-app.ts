import { AddressInfo } from 'net';
import { randomUUID } from 'crypto';
import { AppOptions, CmdbApp, createApp } from '../../src/server/app';
import { openTestGraph, TestGraph } from './graph';
import { captureLogger } from './log-capture';

export interface HttpApp {
  app: CmdbApp;
  base: string;
  /** An admin token created for this app. */
  adminToken: string;
  /** Creates a token of this role (and source, for discovery). */
  token(role: string, source?: string): Promise<string>;
  /** POSTs a GraphQL request; token null sends no Authorization header. */
  post(query: string, variables?: Record<string, unknown>, opts?: { token?: string | null; operationName?: string }): Promise<{ status: number; body: any }>;
  /** POSTs and returns `data`, failing the test on any GraphQL error; token default: the admin's. */
  ok(query: string, variables?: Record<string, unknown>, token?: string): Promise<any>;
  logged: () => Record<string, any>[];
  stop(): Promise<void>;
}

/** The real HTTP app on a free loopback port, against the test graph. */
export async function listenApp(graph: TestGraph, opts: Partial<AppOptions> = {}): Promise<HttpApp> {
  const { logger, lines } = captureLogger();
  const app = await createApp({ client: graph.client, catalog: graph.catalog, logger, ...opts });
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}`;
  const token = async (role: string, source?: string) =>
    (await app.tokens.create({ name: `test-${role}-${randomUUID().slice(0, 8)}`, role, source }, 'system')).token;
  const adminToken = await token('admin');
  const post: HttpApp['post'] = async (query, variables = {}, o = {}) => {
    const t = o.token === undefined ? adminToken : o.token;
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(t ? { authorization: `Bearer ${t}` } : {}) },
      body: JSON.stringify({ query, variables, operationName: o.operationName }),
    });
    return { status: res.status, body: await res.json() };
  };
  return {
    app, base, adminToken, token, logged: lines, post,
    async ok(query, variables = {}, t) {
      const { body } = await post(query, variables, { token: t });
      if (body.errors) throw new Error(`unexpected GraphQL errors: ${JSON.stringify(body.errors)}`);
      return body.data;
    },
    stop: () => app.stop(),
  };
}

/**
 * Opens the test graph (wiped) and the HTTP app before a test file's tests and stops both after them; `ready` hands
 * them to the file. Fixture hooks declared after this call run after the app is up.
 */
export function useHttpApp(ready: (graph: TestGraph, http: HttpApp) => void, opts: () => Partial<AppOptions> = () => ({})): void {
  let graph: TestGraph | undefined;
  let http: HttpApp | undefined;
  beforeAll(async () => {
    graph = await openTestGraph();
    await graph.wipe();
    http = await listenApp(graph, opts());
    ready(graph, http);
  });
  afterAll(async () => {
    await http?.stop();
    await graph?.close();
  });
}
