import neo4j, { Driver, ManagedTransaction, QueryResult, RecordShape } from 'neo4j-driver';
import { PoolStats, readPoolStats } from './pool-stats';

export interface Neo4jConnection {
  uri: string;
  user?: string;
  password?: string;
  database?: string;
  /**
   * How long managed transactions retry transient errors (default 2 s, the driver's is 30 s): long enough for
   * deadlocks and leader switches, short enough that a request fails fast when Neo4j is gone.
   */
  maxTransactionRetryTimeMs?: number;
}

/** Counts Cypher round trips; a request's client carries its own so tests can assert the cost of a query. */
export interface QueryStats {
  queries: number;
  log: string[];
}

export const newQueryStats = (): QueryStats => ({ queries: 0, log: [] });

export type TransactionMode = 'read' | 'write';

/** Told of every round trip and managed transaction (metrics); must not throw. */
export interface QueryObserver {
  queryFinished(seconds: number, ok: boolean): void;
  transactionFinished(mode: TransactionMode, seconds: number, ok: boolean): void;
}

const NO_OBSERVER: QueryObserver = { queryFinished: () => undefined, transactionFinished: () => undefined };

const secondsSince = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e9;

const UNAVAILABLE_CODES = new Set(['ServiceUnavailable', 'SessionExpired']);
/** While Neo4j is unreachable, at most one transaction a second tries it; the others fail at once. */
const PROBE_INTERVAL_MS = 1000;

export interface Neo4jClientOptions {
  /** Neo4j stops a transaction running longer than this (a runaway traversal), default 60 s. */
  txTimeoutMs?: number;
  /** Told of every round trip and transaction (the app's metrics). */
  observer?: QueryObserver;
}

/** Shared by a client and its scoped views: one driver, one view of whether the database answers. */
interface Availability {
  downSince: number | null;
  lastAttempt: number;
  /** Why the last attempt failed. */
  cause: string | null;
}

export function createDriver(conn: Neo4jConnection): Driver {
  const auth = conn.user || conn.password ? neo4j.auth.basic(conn.user ?? 'neo4j', conn.password ?? '') : undefined;
  return neo4j.driver(conn.uri, auth, {
    // CI attributes are plain JSON numbers; int attributes are checked to be safe integers on write.
    disableLosslessIntegers: true,
    maxConnectionPoolSize: 50,
    connectionAcquisitionTimeout: 10_000,
    connectionTimeout: 5_000,
    maxTransactionRetryTime: conn.maxTransactionRetryTimeMs ?? 2_000,
  });
}

/** A CI change a committed write transaction made (each history record it wrote), for the live feed. */
export interface CommittedChange {
  ciId: string;
  kind: string;
  field: string | null;
  at: string;
  actor: string;
}

/** Changes recorded in a write transaction's current attempt; published only if it commits. */
const outboxes = new WeakMap<ManagedTransaction, CommittedChange[]>();

/**
 * The one way the application reaches Neo4j: reads through executeRead and writes through
 * executeWrite, so a cluster can route them and transient errors are retried by the driver.
 */
export class Neo4jClient {
  readonly stats: QueryStats = newQueryStats();
  readonly observer: QueryObserver;
  readonly txTimeoutMs: number;
  private readonly availability: Availability = { downSince: null, lastAttempt: 0, cause: null };
  /** Told of what each committed write changed; shared by every view of this client. */
  private readonly committed: { listeners: ((changes: CommittedChange[]) => void)[] } = { listeners: [] };

  constructor(
    readonly driver: Driver,
    readonly database: string | undefined,
    options: Neo4jClientOptions = {},
  ) {
    this.observer = options.observer ?? NO_OBSERVER;
    this.txTimeoutMs = options.txTimeoutMs ?? 60_000;
  }

  /** A view of this client (same driver, availability and settings) with some fields replaced. */
  private view(overrides: Partial<Pick<Neo4jClient, 'stats' | 'observer'>>): Neo4jClient {
    return Object.assign(Object.create(Neo4jClient.prototype) as Neo4jClient, this, overrides);
  }

  /** Set while the database is unreachable: since when. */
  get unavailableSince(): number | null {
    return this.availability.downSince;
  }

  /** A view sharing the driver and observer with a fresh round-trip counter (one per GraphQL request). */
  scoped(): Neo4jClient {
    return this.view({ stats: newQueryStats() });
  }

  /** The same client reporting to `observer` (the app's metrics). */
  observedBy(observer: QueryObserver): Neo4jClient {
    return this.view({ observer });
  }

  /** Calls `listener` after each committed write transaction that changed CIs; returns how to stop. */
  onCommitted(listener: (changes: CommittedChange[]) => void): () => void {
    this.committed.listeners.push(listener);
    return () => {
      this.committed.listeners = this.committed.listeners.filter((l) => l !== listener);
    };
  }

  /** Notes changes this transaction makes (every history record): told to listeners once it commits, never if not. */
  recordChanges(tx: ManagedTransaction, changes: CommittedChange[]): void {
    outboxes.get(tx)?.push(...changes);
  }

  poolStats(): PoolStats | null {
    return readPoolStats(this.driver);
  }

  async read<R extends RecordShape = RecordShape>(cypher: string, params: Record<string, unknown> = {}): Promise<QueryResult<R>> {
    return this.readTx((tx) => this.run<R>(tx, cypher, params));
  }

  async write<R extends RecordShape = RecordShape>(cypher: string, params: Record<string, unknown> = {}): Promise<QueryResult<R>> {
    return this.writeTx((tx) => this.run<R>(tx, cypher, params));
  }

  /** Several statements in one read transaction (each counts as a round trip). */
  async readTx<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    return this.transaction('read', work);
  }

  /** Several statements in one write transaction: all or nothing, retried as a whole. */
  async writeTx<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    return this.transaction('write', work);
  }

  private async transaction<T>(mode: TransactionMode, work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    const started = process.hrtime.bigint();
    const a = this.availability;
    const now = Date.now();
    if (a.downSince !== null && now - a.lastAttempt < PROBE_INTERVAL_MS) {
      this.observer.transactionFinished(mode, 0, false);
      // The cause of the failure that opened the circuit: whoever reads this log line first learns why.
      throw Object.assign(new Error(`Neo4j has not answered since ${new Date(a.downSince).toISOString()}${a.cause ? `: ${a.cause}` : ''}`), { code: 'ServiceUnavailable' });
    }
    a.lastAttempt = now;
    const session = this.driver.session({ database: this.database, defaultAccessMode: mode === 'read' ? neo4j.session.READ : neo4j.session.WRITE });
    let ok = false;
    // Each attempt of a retried write starts its outbox anew: only the one that commits counts.
    let box: CommittedChange[] = [];
    const attempt = (tx: ManagedTransaction) => {
      box = [];
      outboxes.set(tx, box);
      return work(tx);
    };
    try {
      const config = { timeout: this.txTimeoutMs };
      const result = await (mode === 'read' ? session.executeRead(work, config) : session.executeWrite(attempt, config));
      ok = true;
      a.downSince = null;
      if (box.length) this.publish(box);
      return result;
    } catch (err) {
      if (UNAVAILABLE_CODES.has(String((err as { code?: unknown }).code))) {
        a.downSince ??= now;
        a.lastAttempt = Date.now();
        a.cause = (err as Error).message;
      }
      throw err;
    } finally {
      await session.close();
      this.observer.transactionFinished(mode, secondsSince(started), ok);
    }
  }

  private publish(changes: CommittedChange[]): void {
    for (const listener of this.committed.listeners) {
      try {
        listener(changes);
      } catch {
        // A listener's failure never fails the write that has already committed.
      }
    }
  }

  async run<R extends RecordShape = RecordShape>(tx: ManagedTransaction, cypher: string, params: Record<string, unknown> = {}): Promise<QueryResult<R>> {
    this.stats.queries += 1;
    this.stats.log.push(cypher.split('\n', 1)[0]);
    const started = process.hrtime.bigint();
    let ok = false;
    try {
      const result = await tx.run<R>(cypher, params);
      ok = true;
      return result;
    } finally {
      this.observer.queryFinished(secondsSince(started), ok);
    }
  }

  /** A single attempt, no retries: readiness must answer fast when the database is gone. */
  async ping(): Promise<void> {
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.READ });
    try {
      await session.run('RETURN 1 AS ok', {}, { timeout: 5000 });
    } finally {
      await session.close();
    }
  }

  async close(): Promise<void> {
    await this.driver.close();
  }
}
