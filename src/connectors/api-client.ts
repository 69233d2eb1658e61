/** The connectors' way into the hub: GraphQL over HTTP with a bearer token, so a scanner host or a CronJob can run them. */

export interface GraphQLErrorShape {
  message: string;
  extensions?: { code?: string; field?: string };
}

/** The API answered with errors (or not at all); `code` is the first error's extensions.code. */
export class ApiError extends Error {
  constructor(message: string, readonly code: string | null, readonly status: number | null) {
    super(message);
    this.name = 'ApiError';
  }
}

export class HubClient {
  constructor(readonly url: string, private readonly token: string | null, private readonly timeoutMs = 300_000) {}

  async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    let res: Response;
    try {
      res = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      throw new ApiError(`cannot reach the CMDB at ${this.url}: ${(e as Error).message}; is it running (npm start), or is --url right?`, null, null);
    }
    const text = await res.text();
    let body: { data?: T; errors?: GraphQLErrorShape[] };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new ApiError(`HTTP ${res.status} from ${this.url} is not a GraphQL answer: ${text.slice(0, 200)}`, null, res.status);
    }
    if (body.errors?.length) {
      const first = body.errors[0];
      throw new ApiError(body.errors.map((e) => e.message).join('; '), first.extensions?.code ?? null, res.status);
    }
    if (!body.data) throw new ApiError(`HTTP ${res.status} from ${this.url} without data`, null, res.status);
    return body.data;
  }
}
