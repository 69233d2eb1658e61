import { Neo4jClient } from './client';

/** An API token as stored: never the token itself, only its SHA-256 hash. */
export interface ApiTokenRecord {
  id: string;
  name: string;
  role: string;
  source: string | null;
  hash: string;
  createdAt: string;
  createdBy: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const toToken = (p: Record<string, unknown>): ApiTokenRecord => ({
  id: String(p.id), name: String(p.name), role: String(p.role), source: (p.source as string) ?? null, hash: String(p.hash),
  createdAt: String(p.createdAt), createdBy: String(p.createdBy ?? 'system'), expiresAt: (p.expiresAt as string) ?? null,
  lastUsedAt: (p.lastUsedAt as string) ?? null, revokedAt: (p.revokedAt as string) ?? null,
});

/** Creates a token unless an active one has the same name (then returns null). */
export async function insertApiToken(client: Neo4jClient, token: ApiTokenRecord): Promise<ApiTokenRecord | null> {
  const result = await client.write(
    `OPTIONAL MATCH (other:ApiToken {name: $token.name}) WHERE other.revokedAt IS NULL
     WITH count(other) AS taken WHERE taken = 0
     CREATE (t:ApiToken) SET t = $token
     RETURN properties(t) AS t`,
    { token: Object.fromEntries(Object.entries(token).filter(([, v]) => v !== null)) },
  );
  return result.records.length ? toToken(result.records[0].get('t')) : null;
}

export async function findApiTokenByHash(client: Neo4jClient, hash: string): Promise<ApiTokenRecord | null> {
  const result = await client.read('MATCH (t:ApiToken {hash: $hash}) RETURN properties(t) AS t', { hash });
  return result.records.length ? toToken(result.records[0].get('t')) : null;
}

export async function listApiTokens(client: Neo4jClient, includeRevoked: boolean): Promise<ApiTokenRecord[]> {
  const result = await client.read(
    'MATCH (t:ApiToken) WHERE $includeRevoked OR t.revokedAt IS NULL RETURN properties(t) AS t ORDER BY t.createdAt, t.name',
    { includeRevoked });
  return result.records.map((r) => toToken(r.get('t')));
}

export async function countActiveAdminTokens(client: Neo4jClient, now: string): Promise<number> {
  const result = await client.read(
    `MATCH (t:ApiToken {role: 'admin'}) WHERE t.revokedAt IS NULL AND (t.expiresAt IS NULL OR t.expiresAt > $now)
     RETURN count(t) AS n`, { now });
  return result.records[0].get('n') as number;
}

/** Revokes by id; returns the token (already revoked ones unchanged), or null when there is none. */
export async function revokeApiToken(client: Neo4jClient, id: string, now: string): Promise<ApiTokenRecord | null> {
  const result = await client.write(
    'MATCH (t:ApiToken {id: $id}) SET t.revokedAt = coalesce(t.revokedAt, $now) RETURN properties(t) AS t', { id, now });
  return result.records.length ? toToken(result.records[0].get('t')) : null;
}

export async function touchApiToken(client: Neo4jClient, id: string, now: string): Promise<void> {
  await client.write('MATCH (t:ApiToken {id: $id}) SET t.lastUsedAt = $now', { id, now });
}
