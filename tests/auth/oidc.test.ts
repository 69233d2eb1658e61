import { createServer, Server } from 'http';
import { AddressInfo } from 'net';
import { exportJWK, generateKeyPair, JWK, SignJWT } from 'jose';
import { openTestGraph, TestGraph } from '../support/graph';
import { HttpApp, listenApp } from '../support/http-app';

/** A JWKS on loopback with keys this test generates: no network, no real identity provider. */
let jwksServer: Server;
let issuer: string;
const keys: JWK[] = [];
let jwksFetches = 0;
type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;
let signing: KeyPair;
let graph: TestGraph;
let http: HttpApp;
const AUDIENCE = 'cmdb-api';

async function publish(kid: string): Promise<KeyPair> {
  const pair = await generateKeyPair('RS256', { extractable: true });
  keys.push({ ...(await exportJWK(pair.publicKey)), kid, alg: 'RS256', use: 'sig' });
  return pair;
}

function jwt(claims: Record<string, unknown>, opts: { key?: KeyPair; kid?: string; aud?: string; iss?: string; exp?: string | number } = {}) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: opts.kid ?? 'k1' })
    .setSubject('alice@example.com').setIssuer(opts.iss ?? issuer).setAudience(opts.aud ?? AUDIENCE)
    .setIssuedAt().setExpirationTime(opts.exp ?? '5m')
    .sign((opts.key ?? signing).privateKey);
}

beforeAll(async () => {
  jwksServer = createServer((req, res) => {
    if (req.url === '/.well-known/openid-configuration') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }));
    } else if (req.url === '/jwks') {
      jwksFetches++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys }));
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}`;
  signing = await publish('k1');
  graph = await openTestGraph();
  await graph.wipe();
  // Keycloak-style: roles under realm_access.roles, prefixed.
  http = await listenApp(graph, { oidc: { issuer, audience: AUDIENCE, jwksUrl: null, rolesClaim: 'realm_access.roles', rolePrefix: 'cmdb-', algorithms: ['RS256'], jwksCooldownMs: 0 } });
});

afterAll(async () => {
  await http?.stop();
  await graph?.close();
  await new Promise((resolve) => jwksServer.close(resolve));
});

const whoami = (token: string) => http.post('{ whoami { name kind role } }', {}, { token });

it('accepts a JWT signed by the issuer with a roles claim, and names its subject', async () => {
  const { status, body } = await whoami(await jwt({ realm_access: { roles: ['offline_access', 'cmdb-editor'] } }));
  expect(status).toBe(200);
  expect(body.data.whoami).toEqual({ name: 'jwt:alice@example.com', kind: 'jwt', role: 'editor' });
  const made = await http.post('mutation { createCi(input: { class: "Application", name: "by-alice" }) { id } }', {}, { token: await jwt({ realm_access: { roles: ['cmdb-editor'] } }) });
  const history = await http.post('query($id: ID!) { ci(id: $id) { history { edges { node { kind actor } } } } }', { id: made.body.data.createCi.id });
  expect(history.body.data.ci.history.edges.map((e: any) => e.node)).toEqual([{ kind: 'CREATED', actor: 'jwt:alice@example.com' }]);
});

it.each([
  ['a wrong audience', () => jwt({ realm_access: { roles: ['cmdb-admin'] } }, { aud: 'another-api' }), /aud claim is not accepted/],
  ['a wrong issuer', () => jwt({ realm_access: { roles: ['cmdb-admin'] } }, { iss: 'https://evil.example' }), /iss claim is not accepted/],
  ['an expired token', () => jwt({ realm_access: { roles: ['cmdb-admin'] } }, { exp: Math.floor(Date.now() / 1000) - 60 }), /has expired/],
  ['another key', async () => jwt({ realm_access: { roles: ['cmdb-admin'] } }, { key: await generateKeyPair('RS256') }), /not signed by a key of the configured issuer/],
  ['no cmdb role', () => jwt({ realm_access: { roles: ['offline_access'] } }), /names no cmdb role/],
  ['garbage', async () => 'eyJhbGciOi.not-a-jwt', /not a valid JWT/],
])('refuses %s with 401 and writes nothing', async (_what, make, reason) => {
  const token = await make();
  const { status, body } = await http.post('mutation { createCi(input: { class: "Application", name: "refused" }) { id } }', {}, { token });
  expect(status).toBe(401);
  expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  expect(body.errors[0].message).toMatch(reason);
  expect(JSON.stringify(body)).not.toContain(token);
  expect((await graph.client.read("MATCH (c:CI {name: 'refused'}) RETURN count(c) AS n")).records[0].get('n')).toBe(0);
});

it('follows key rotation: a token with a new key id makes it fetch the key set again', async () => {
  const before = jwksFetches;
  const rotated = await publish('k2');
  const { body } = await whoami(await jwt({ realm_access: { roles: ['cmdb-viewer'] } }, { key: rotated, kid: 'k2' }));
  expect(body.data.whoami.role).toBe('viewer');
  expect(jwksFetches).toBe(before + 1);
});
