/**
 * The local Neo4j runs with authentication on, so that no other process on the machine can write to the graph behind
 * the API. Its password is generated on first start and kept in the Neo4j home, readable by this user only, beside the
 * data it protects: a copied or restored home keeps working, a deleted one starts afresh.
 */
import { randomBytes } from 'crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import neo4j, { AuthToken, Neo4jError } from 'neo4j-driver';

export const LOCAL_NEO4J_USER = 'neo4j';
/** The password Neo4j gives its first user; a login with it may only change it. */
const FACTORY_PASSWORD = 'neo4j';

export const passwordFile = (home: string) => join(home, 'conf', 'cmdb-password');

/** The home's password, generated (and written 0600) when the home has none yet. */
export function homePassword(home: string): string {
  const file = passwordFile(home);
  if (existsSync(file)) {
    const stored = readFileSync(file, 'utf8').trim();
    if (stored) return stored;
  }
  const password = randomBytes(24).toString('base64url');
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  chmodSync(file, 0o600); // an existing (empty) file keeps its old mode on write
  return password;
}

export const homeAuth = (home: string): AuthToken => neo4j.auth.basic(LOCAL_NEO4J_USER, homePassword(home));

export type BoltProbe = 'up' | 'unauthorized' | 'expired' | 'down';

const AUTH_CODES: Record<string, BoltProbe> = {
  'Neo.ClientError.Security.Unauthorized': 'unauthorized',
  'Neo.ClientError.Security.CredentialsExpired': 'expired',
  // Too many failed logins: the server is up; the caller decides what to do with the lock.
  'Neo.ClientError.Security.AuthenticationRateLimit': 'unauthorized',
};

/** One query with the given credentials. An authentication refusal also means the server is up. */
export async function probeBolt(port: number, auth: AuthToken, database?: string): Promise<BoltProbe> {
  const driver = neo4j.driver(`bolt://127.0.0.1:${port}`, auth, {
    connectionTimeout: 2000,
    connectionAcquisitionTimeout: 3000,
    maxConnectionPoolSize: 1,
  });
  const session = driver.session({ database });
  try {
    // A query rather than verifyConnectivity: Bolt accepts connections before the default database is online.
    // session.run, not executeQuery: the latter retries a refused connection for 30 s, hiding a crashed start.
    await session.run('RETURN 1');
    return 'up';
  } catch (e) {
    return AUTH_CODES[(e as Neo4jError).code] ?? 'down';
  } finally {
    await session.close().catch(() => undefined);
    await driver.close().catch(() => undefined);
  }
}

/**
 * Makes the home's password the server's. A server whose user still has the factory password (a new home, or one
 * created when the local server ran without authentication) gets it set now, over Bolt, so the password never
 * appears on a command line. Anything else that refuses the password is an error saying how to recover.
 */
export async function secureLocalNeo4j(port: number, home: string): Promise<AuthToken> {
  const auth = homeAuth(home);
  if ((await probeBolt(port, auth)) === 'up') return auth;
  const driver = neo4j.driver(`bolt://127.0.0.1:${port}`, neo4j.auth.basic(LOCAL_NEO4J_USER, FACTORY_PASSWORD), {
    connectionTimeout: 2000,
    maxConnectionPoolSize: 1,
  });
  const session = driver.session({ database: 'system' });
  try {
    await session.run('ALTER CURRENT USER SET PASSWORD FROM $old TO $new', { old: FACTORY_PASSWORD, new: homePassword(home) });
  } catch (e) {
    throw new Error(
      `cmdb: the local Neo4j in ${home} refuses the password in ${passwordFile(home)} (${(e as Neo4jError).code ?? (e as Error).message}); ` +
        `restore that file, or delete ${join(home, 'data')} to start with an empty graph`,
    );
  } finally {
    await session.close().catch(() => undefined);
    await driver.close().catch(() => undefined);
  }
  if ((await probeBolt(port, auth)) !== 'up') throw new Error(`cmdb: the local Neo4j in ${home} did not accept its new password`);
  return auth;
}
