import { join } from 'path';
import { projectRoot } from '../project-root';
import type { OidcSettings } from '../auth/oidc';
import { DEFAULT_LIMITS, QueryLimits } from './query-limits';
import { LOG_FORMATS, LOG_LEVELS, LogFormat, LogLevel } from '../observability/logger';

/** Every setting the server reads, with its default; the README lists the same table. */
export interface ServerConfig {
  host: string;
  port: number;
  /** Set: use that server and start no local Neo4j. */
  neo4jUri: string | null;
  neo4jUser: string | null;
  neo4jPassword: string | null;
  neo4jDatabase: string | null;
  modelPath: string | null;
  localNeo4jHome: string;
  localNeo4jPort: number;
  localNeo4jHeap: string;
  localNeo4jPageCache: string;
  /** Keep the local Neo4j running after the API stops (faster restarts while developing). */
  keepLocalNeo4j: boolean;
  /** Queries run compiled (graphql-jit); false: graphql-js interprets every request. */
  compiledQueries: boolean;
  development: boolean;
  /** Where the server keeps its own files (the first admin token). */
  dataDir: string;
  /** Role of requests without credentials; null refuses them. Only viewer is allowed. */
  anonymousRole: 'viewer' | null;
  /** OpenID Connect access tokens for people; null when no issuer is configured. */
  oidc: OidcSettings | null;
  limits: QueryLimits;
  expensive: { concurrency: number; maxQueued: number; queueTimeoutMs: number };
  /** Neo4j stops a request's transaction after this long. */
  txTimeoutMs: number;
  /** null: the loopback names when bound to loopback, any when bound to all interfaces. */
  allowedHosts: string[] | null;
  corsOrigins: string[];
  bodyLimits: { reconcile: string; default: string };
  /** Set: live events cross API instances through this Redis (redis:// or rediss://). */
  redisUrl: string | null;
  /** Live service health re-reads the failing CIs this often (change windows open and close by the clock). */
  serviceHealthRefreshMs: number;
  logLevel: LogLevel;
  /** null: pretty on a terminal, JSON lines otherwise. */
  logFormat: LogFormat | null;
}

function intSetting(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`${name} must be a port number, got '${raw}'`);
  return value;
}

function oneOf<T extends string>(env: NodeJS.ProcessEnv, name: string, allowed: readonly T[]): T | null {
  const raw = env[name]?.trim();
  if (!raw) return null;
  if (!allowed.includes(raw as T)) throw new Error(`${name} must be one of ${allowed.join(', ')}, got '${raw}'`);
  return raw as T;
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got '${raw}'`);
  return n;
}

const list = (raw: string | undefined): string[] => (raw ?? '').split(',').map((x) => x.trim()).filter(Boolean);

function bodySize(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!/^\d+(b|kb|mb)$/i.test(raw)) throw new Error(`${name} must be a size such as 512kb or 20mb, got '${raw}'`);
  return raw.toLowerCase();
}

function readOidc(env: NodeJS.ProcessEnv): OidcSettings | null {
  const issuer = env.CMDB_OIDC_ISSUER?.trim();
  if (!issuer) return null;
  const audience = env.CMDB_OIDC_AUDIENCE?.trim();
  if (!audience) throw new Error('CMDB_OIDC_AUDIENCE is required with CMDB_OIDC_ISSUER (the audience your identity provider puts in tokens for this API)');
  const jwksUrl = env.CMDB_OIDC_JWKS_URL?.trim() || null;
  for (const [name, url] of [['CMDB_OIDC_ISSUER', issuer], ['CMDB_OIDC_JWKS_URL', jwksUrl]] as const) {
    if (url && !/^https?:\/\//.test(url)) throw new Error(`${name} must be an http(s) URL, got '${url}'`);
  }
  const algorithms = (env.CMDB_OIDC_ALGORITHMS || 'RS256,PS256,ES256,EdDSA').split(',').map((a) => a.trim()).filter(Boolean);
  return { issuer, audience, jwksUrl, rolesClaim: env.CMDB_OIDC_ROLES_CLAIM?.trim() || 'roles', rolePrefix: env.CMDB_OIDC_ROLE_PREFIX ?? '', algorithms };
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const uri = env.NEO4J_URI?.trim() || null;
  const redisUrl = env.CMDB_REDIS_URL?.trim() || null;
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) throw new Error(`CMDB_REDIS_URL must start with redis:// or rediss://, got '${redisUrl.replace(/\/\/[^@/]*@/, '//***@')}'`);
  if (uri && !/^(bolt|neo4j)(\+s|\+ssc)?:\/\//.test(uri)) {
    throw new Error(`NEO4J_URI must start with bolt:// or neo4j:// (optionally +s or +ssc), got '${uri}'`);
  }
  return {
    host: env.HOST || '127.0.0.1',
    port: intSetting(env, 'PORT', 4000),
    neo4jUri: uri,
    neo4jUser: env.NEO4J_USER || (uri ? 'neo4j' : null),
    neo4jPassword: env.NEO4J_PASSWORD ?? null,
    neo4jDatabase: env.NEO4J_DATABASE || null,
    modelPath: env.CMDB_MODEL_PATH || null,
    localNeo4jHome: env.CMDB_NEO4J_HOME || join(projectRoot(), '.neo4j'),
    localNeo4jPort: intSetting(env, 'CMDB_NEO4J_PORT', 7687),
    localNeo4jHeap: env.CMDB_NEO4J_HEAP || '1g',
    localNeo4jPageCache: env.CMDB_NEO4J_PAGECACHE || '512m',
    keepLocalNeo4j: env.CMDB_KEEP_NEO4J === '1' || env.CMDB_KEEP_NEO4J === 'true',
    compiledQueries: !(env.CMDB_COMPILED_QUERIES === '0' || env.CMDB_COMPILED_QUERIES === 'false'),
    development: env.NODE_ENV === 'development',
    dataDir: env.CMDB_DATA_DIR || join(projectRoot(), '.cmdb'),
    anonymousRole: oneOf(env, 'CMDB_ANONYMOUS_ROLE', ['viewer'] as const),
    oidc: readOidc(env),
    txTimeoutMs: positiveInt(env, 'CMDB_NEO4J_TX_TIMEOUT_MS', 60_000),
    expensive: {
      concurrency: positiveInt(env, 'CMDB_MAX_EXPENSIVE', 2),
      maxQueued: positiveInt(env, 'CMDB_EXPENSIVE_QUEUE', 100),
      queueTimeoutMs: positiveInt(env, 'CMDB_EXPENSIVE_WAIT_MS', 30_000),
    },
    limits: {
      depth: positiveInt(env, 'CMDB_MAX_DEPTH', DEFAULT_LIMITS.depth),
      aliases: positiveInt(env, 'CMDB_MAX_ALIASES', DEFAULT_LIMITS.aliases),
      directives: positiveInt(env, 'CMDB_MAX_DIRECTIVES', DEFAULT_LIMITS.directives),
      cost: positiveInt(env, 'CMDB_MAX_COST', DEFAULT_LIMITS.cost),
      tokens: positiveInt(env, 'CMDB_MAX_TOKENS', DEFAULT_LIMITS.tokens),
      batch: positiveInt(env, 'CMDB_MAX_BATCH', DEFAULT_LIMITS.batch),
    },
    allowedHosts: env.CMDB_ALLOWED_HOSTS?.trim() ? list(env.CMDB_ALLOWED_HOSTS) : null,
    corsOrigins: list(env.CMDB_CORS_ORIGINS),
    bodyLimits: { reconcile: bodySize(env, 'CMDB_MAX_RECONCILE_BODY', '20mb'), default: bodySize(env, 'CMDB_MAX_BODY', '1mb') },
    redisUrl,
    serviceHealthRefreshMs: positiveInt(env, 'CMDB_SERVICE_HEALTH_REFRESH_S', 30) * 1000,
    logLevel: oneOf(env, 'CMDB_LOG_LEVEL', LOG_LEVELS) ?? 'info',
    logFormat: oneOf(env, 'CMDB_LOG_FORMAT', LOG_FORMATS),
  };
}
