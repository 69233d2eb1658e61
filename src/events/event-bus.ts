/**
 * The live feed's topics. `shared` reaches every API instance (Redis pub/sub with CMDB_REDIS_URL, else this
 * process) and is what type-graphql's subscriptions read; `local` stays in this process (what the service-health
 * feed listens to, and the health changes it delivers once per instance). Writes are published after they commit:
 * a CI's changes come from the Neo4j client's outbox, alerts from ingestion.
 */
import { createPubSub, PubSub } from '@graphql-yoga/subscription';
import type { CiSummary } from '../impact/impact.types';

export interface CiChangedEvent {
  ciId: string;
  name: string;
  class: string;
  /** The kinds of change (CREATED, UPDATED, DELETED, RELATIONSHIP_ADDED, ...), in order, without repeats. */
  kinds: string[];
  /** The fields that changed, sorted (attributes and common fields; sensitive ones are dropped for those who may not read them). */
  fields: string[];
  at: string;
  actor: string;
}

export interface AlertReceivedEvent {
  source: string;
  fingerprint: string;
  status: string;
  state: string;
  severity: string | null;
  summary: string | null;
  ciId: string | null;
  at: string;
}

/** A service's health as one instance computed it (plain JSON: it may cross Redis). */
export interface ServiceHealthEvent {
  service: CiSummary;
  health: 'OPERATIONAL' | 'DEGRADED' | 'DOWN';
  previous: 'OPERATIONAL' | 'DEGRADED' | 'DOWN';
  causes: { ci: CiSummary; state: 'DOWN' | 'DEGRADED' }[];
  at: string;
}

export type SharedTopics = {
  CI_CHANGED: [CiChangedEvent];
  /** An API token was revoked: instances drop what they cached of it. */
  TOKEN_REVOKED: [{ id: string }];
  ALERT_RECEIVED: [AlertReceivedEvent];
  SERVICE_HEALTH_COMPUTED: [ServiceHealthEvent];
};

export type LocalTopics = {
  /** CIs whose alerts this instance just stored. */
  ALERTS_STORED: [string[]];
  /** CIs whose maintenance state may have changed here (a change ticket linked, updated or unlinked). */
  MAINTENANCE_CHANGED: [string[]];
  /** A service's health changed: delivered once per instance whichever instance computed it. */
  SERVICE_HEALTH_CHANGED: [ServiceHealthEvent];
};

export const TOPICS = {
  CI_CHANGED: 'CI_CHANGED', ALERT_RECEIVED: 'ALERT_RECEIVED', SERVICE_HEALTH_COMPUTED: 'SERVICE_HEALTH_COMPUTED',
  ALERTS_STORED: 'ALERTS_STORED', MAINTENANCE_CHANGED: 'MAINTENANCE_CHANGED', SERVICE_HEALTH_CHANGED: 'SERVICE_HEALTH_CHANGED',
  TOKEN_REVOKED: 'TOKEN_REVOKED',
} as const;

export class EventBus {
  readonly local = createPubSub<LocalTopics>();
  private outageReason: string | null = null;
  private readonly listeners = new Set<(outage: string | null) => void>();

  constructor(readonly shared: PubSub<SharedTopics>, readonly transport: 'in-process' | 'redis' = 'in-process', private readonly closeTransport: () => Promise<void> = async () => undefined) {}

  /** Why events cannot cross instances right now; null while they can. */
  get outage(): string | null {
    return this.outageReason;
  }

  setOutage(reason: string | null): void {
    if (reason === this.outageReason) return;
    this.outageReason = reason;
    for (const l of this.listeners) l(reason);
  }

  onOutage(listener: (outage: string | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): Promise<void> {
    return this.closeTransport();
  }
}

export function createEventBus(): EventBus {
  return new EventBus(createPubSub<SharedTopics>());
}
