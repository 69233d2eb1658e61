/**
 * The docs run: every GraphiQL tab and every GraphQL example of the README, in order, against the demo estate
 * loaded through the API (`npm run demo`), as the admin, over HTTP with the default query limits. One that errors
 * (a limit included), or answers with nothing, fails.
 * README placeholders: "<id of NAME>" (the CI named NAME), "<id of the run started above>", "<id of the token
 * created above>".
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { parse, print } from 'graphql';
import { projectRoot } from '../../src/project-root';
import { buildEstate } from '../../scripts/demo/estate';
import { loadEstate } from '../../scripts/demo/load-estate';
import { HttpApp, useHttpApp } from '../support/http-app';

jest.setTimeout(180_000);

let http: HttpApp;
useHttpApp((_g, h) => (http = h));

beforeAll(async () => {
  await loadEstate(buildEstate(), { url: `${http.base}/graphql`, token: http.adminToken });
});

const readme = readFileSync(join(projectRoot(), 'README.md'), 'utf8');
const examples = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].flatMap((m) => parse(m[1]).definitions.map((d) => print(d)));
const tabs = JSON.parse(readFileSync(join(projectRoot(), 'web', 'graphiql', 'examples.json'), 'utf8')) as { query: string; variables?: Record<string, unknown> }[];

/** Nothing came back: null, false, empty lists, zero counts, or objects of only those (an empty page, say). */
function empty(v: unknown, key = ''): boolean {
  if (v === null || v === undefined || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.entries(v as object).every(([k, x]) => empty(x, k));
  return key === 'totalCount' && v === 0;
}

it('tells an empty answer from one with something in it', () => {
  expect(empty({ cis: { totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, edges: [] } })).toBe(true);
  expect(empty({ impact: { truncated: false, services: [], affected: [] } })).toBe(true);
  expect(empty({ deleteCi: { deletedRelationships: 0 } })).toBe(false);
  expect(empty({ cis: { totalCount: 3, edges: [] } })).toBe(false);
});

it('has examples to run', () => {
  expect(examples.length).toBeGreaterThan(30);
  expect(tabs.length).toBeGreaterThanOrEqual(8);
});

it('runs every GraphiQL tab as it is', async () => {
  for (const tab of tabs) {
    const { body } = await http.post(tab.query, tab.variables ?? {});
    expect([tab.query.split('\n')[0], body.errors]).toEqual([tab.query.split('\n')[0], undefined]);
    expect([tab.query.split('\n')[0], empty(body.data)]).toEqual([tab.query.split('\n')[0], false]);
  }
});

it('runs every README example in order, each answering something', async () => {
  const last: Record<string, string> = {};
  const idOf = async (name: string) => {
    const data = await http.ok('query($n: String!) { cis(first: 2, filter: { name: $n }) { edges { node { id } } } }', { n: name });
    if (data.cis.edges.length !== 1) throw new Error(`README names "${name}", which is ${data.cis.edges.length ? 'not unique' : 'not'} in the demo estate`);
    return data.cis.edges[0].node.id as string;
  };
  for (const example of examples) {
    let text = example;
    for (const [placeholder, name] of [...example.matchAll(/"<id of ([^">]+)>"/g)].map((m) => [m[0], m[1]])) {
      const id = name === 'the run started above' ? last.run : name === 'the token created above' ? last.token : await idOf(name);
      text = text.replace(placeholder, JSON.stringify(id));
    }
    const { body } = await http.post(text);
    expect([example, body.errors]).toEqual([example, undefined]);
    expect([example, empty(body.data)]).toEqual([example, false]);
    if (body.data.startSyncRun) last.run = body.data.startSyncRun.id;
    if (body.data.createApiToken) last.token = body.data.createApiToken.apiToken.id;
  }
});
