/** The demo scripts' GraphQL client: one POST per operation, errors with the estate ref they belong to. */

export interface GraphQLError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string };
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: GraphQLError[];
}

/** A failed request or mutation; `ref` names the estate item when the error belongs to one. */
export class EstateLoadError extends Error {
  constructor(message: string, readonly ref?: string) {
    super(message);
    this.name = 'EstateLoadError';
  }
}

/** Where the API is and the bearer token to send (null: none). */
export interface Api {
  url: string;
  token: string | null;
}

export async function post<T>(api: Api, query: string, variables: Record<string, unknown> = {}, timeoutMs = 120_000): Promise<GraphQLResponse<T>> {
  const { url } = api;
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...(api.token ? { authorization: `Bearer ${api.token}` } : {}) },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let body: GraphQLResponse<T>;
  try {
    body = JSON.parse(text) as GraphQLResponse<T>;
  } catch {
    throw new EstateLoadError(`HTTP ${res.status} from ${url} is not a GraphQL response: ${text.slice(0, 200)}`);
  }
  if (!res.ok && !body.errors?.length) throw new EstateLoadError(`HTTP ${res.status} from ${url}`);
  return body;
}

export function describeErrors(errors: GraphQLError[] | undefined): string {
  return (errors ?? []).map((e) => `${e.message}${e.extensions?.code ? ` [${e.extensions.code}]` : ''}`).join('; ') || 'no data returned';
}
