// The explorer's GraphQL client: the same endpoint and token as GraphiQL (this tab's sessionStorage, never a URL).
export const TOKEN_KEY = 'cmdb.token';

export const token = () => window.sessionStorage.getItem(TOKEN_KEY) || '';
export const setToken = (value) => {
  if (value.trim()) window.sessionStorage.setItem(TOKEN_KEY, value.trim());
  else window.sessionStorage.removeItem(TOKEN_KEY);
};

export async function gql(endpoint, query, variables = {}) {
  const headers = { 'content-type': 'application/json' };
  if (token()) headers.authorization = `Bearer ${token()}`;
  const res = await fetch(endpoint, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = await res.json().catch(() => ({ errors: [{ message: `HTTP ${res.status}` }] }));
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  return body.data;
}

export const QUERIES = {
  classes: '{ ciClasses { name abstract } }',
  search: `query Search($filter: CiFilter) {
  cis(first: 20, filter: $filter) { totalCount edges { node { id name class owner operationalStatus { state } } } }
}`,
  neighborhood: `query Neighborhood($ciId: ID!, $depth: Int!, $types: [String!], $asOf: DateTimeISO) {
  neighborhood(ciId: $ciId, depth: $depth, types: $types, limit: 250, asOf: $asOf) {
    center { id name class operationalStatus { state } }
    nodes { depth ci { id name class operationalStatus { state } } }
    edges { from to type }
    truncated
  }
}`,
  details: `query Details($id: ID!) {
  ci(id: $id) {
    id name class owner supportGroup criticality lifecycleStatus environment attributes
    operationalStatus { state alerts { summary severity } }
    provenance { field source lastConfirmedAt }
    relationships(first: 50) { label ci { id name class } }
    history(first: 20) { edges { node { at kind field actor } } }
    tickets(open: true) { system key kind status title }
  }
}`,
  health: `{
  cmdbHealth(limit: 10, maxAgeSeconds: 60) {
    generatedAt ageSeconds
    summary { totalCis completeness duplicateCount orphanCount staleCount markedStaleCount }
    classes { class ciCount completeness orphanCount staleCount duplicateCount }
    orphans { sample { id name class } }
    duplicates { collisions { values ciIds } }
  }
}`,
  alerting: `{ serviceHealth { service { id name owner } health causes { ci { id name class } state } } }`,
  impact: `query Impact($ciIds: [ID!]!) {
  impact(input: { ciIds: $ciIds }) {
    affected { ci { id name class } severity paths { from { id } type forward to { id } } }
    services { ci { id name owner supportGroup } severity }
  }
}`,
};

/** A GraphiQL link that opens this query with these variables (GraphiQL reads them from its URL). */
export function graphiqlLink(query, variables) {
  const params = new URLSearchParams({ query, variables: JSON.stringify(variables, null, 2) });
  return `/graphiql?${params}`;
}
