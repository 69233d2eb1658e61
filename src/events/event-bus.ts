/**
 * The live feed's topics, in process (graphql-yoga's PubSub, which type-graphql subscriptions read). Writes are
 * published after they commit: a CI's changes come from the Neo4j client's outbox, alerts from ingestion.
 */
import { createPubSub } from '@graphql-yoga/subscription';

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

export const TOPICS = { CI_CHANGED: 'CI_CHANGED', ALERT_RECEIVED: 'ALERT_RECEIVED' } as const;

export function createEventBus() {
  return createPubSub<{ CI_CHANGED: [CiChangedEvent]; ALERT_RECEIVED: [AlertReceivedEvent] }>();
}

export type EventBus = ReturnType<typeof createEventBus>;
