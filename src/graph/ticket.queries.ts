/**
 * ITSM tickets (incidents, problems, changes, requests of another system) and the CIs they concern:
 * (:Ticket {key: "<system>|<number>"})-[:CONCERNS]->(:CI). A ticket is not a CI: it lives beside the graph, so
 * the catalog, health and impact walks never see it.
 */
import { Neo4jClient } from './client';

export interface TicketRow {
  system: string;
  number: string;
  kind: string;
  status: string;
  open: boolean;
  url: string | null;
  title: string | null;
  plannedStart: string | null;
  plannedEnd: string | null;
  createdAt: string;
  updatedAt: string;
  createdBy: string | null;
  updatedBy: string | null;
  ciIds: string[];
}

export interface TicketFields {
  kind: string;
  status: string;
  open: boolean;
  url?: string | null;
  title?: string | null;
  plannedStart?: string | null;
  plannedEnd?: string | null;
}

export const ticketKey = (system: string, number: string) => `${system}|${number}`;

const RETURN_TICKET = `RETURN t { .system, .number, .kind, .status, .open, .url, .title, .plannedStart, .plannedEnd, .createdAt, .updatedAt, .createdBy, .updatedBy,
  ciIds: [(t)-[:CONCERNS]->(c:CI) | c.id] } AS t`;

const row = (r: { get(k: string): unknown }) => r.get('t') as TicketRow;

/**
 * Creates the ticket or updates its fields (idempotent per system and number) and links it to the CI. Null when
 * the CI does not exist. Fields left undefined keep their stored value.
 */
export async function linkTicket(client: Neo4jClient, system: string, number: string, ciId: string, fields: TicketFields, by: string | null, now: string): Promise<TicketRow | null> {
  return client.writeTx(async (tx) => {
    const found = await client.run(tx, 'MATCH (c:CI {id: $ciId}) RETURN c.id AS id', { ciId });
    if (!found.records.length) return null;
    const set = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
    const result = await client.run(tx, `
      MATCH (c:CI {id: $ciId})
      MERGE (t:Ticket {key: $key})
        ON CREATE SET t.system = $system, t.number = $number, t.createdAt = $now, t.createdBy = $by
      SET t += $set, t.updatedAt = $now, t.updatedBy = $by
      MERGE (t)-[:CONCERNS]->(c)
      ${RETURN_TICKET}`, { ciId, key: ticketKey(system, number), system, number, set, now, by });
    return row(result.records[0]);
  });
}

/** Changes a ticket's fields; null when there is no such ticket. */
export async function updateTicket(client: Neo4jClient, system: string, number: string, fields: Partial<TicketFields>, by: string | null, now: string): Promise<TicketRow | null> {
  const set = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  const result = await client.write(`
    MATCH (t:Ticket {key: $key})
    SET t += $set, t.updatedAt = $now, t.updatedBy = $by
    ${RETURN_TICKET}`, { key: ticketKey(system, number), set, now, by });
  return result.records.length ? row(result.records[0]) : null;
}

/**
 * Removes the ticket's link to the CI, or to every CI; a ticket left concerning no CI is deleted. Returns the
 * ticket as it was, with the CIs it still concerns; null when there is no such ticket.
 */
export async function unlinkTicket(client: Neo4jClient, system: string, number: string, ciId: string | null): Promise<{ ticket: TicketRow; deleted: boolean; unlinked: string[] } | null> {
  return client.writeTx(async (tx) => {
    const key = ticketKey(system, number);
    const found = await client.run(tx, `MATCH (t:Ticket {key: $key}) ${RETURN_TICKET}`, { key });
    if (!found.records.length) return null;
    await client.run(tx, 'MATCH (t:Ticket {key: $key})-[r:CONCERNS]->(c:CI) WHERE $ciId IS NULL OR c.id = $ciId DELETE r', { key, ciId });
    const left = await client.run(tx, `MATCH (t:Ticket {key: $key}) ${RETURN_TICKET}`, { key });
    const ticket = row(left.records[0]);
    const unlinked = row(found.records[0]).ciIds.filter((id) => !ticket.ciIds.includes(id));
    if (ticket.ciIds.length) return { ticket, deleted: false, unlinked };
    await client.run(tx, 'MATCH (t:Ticket {key: $key}) DELETE t', { key });
    return { ticket, deleted: true, unlinked };
  });
}

/** Tickets concerning each of these CIs (for the per-request loader), optionally of some kinds and open or not. */
export async function ticketsOfCis(client: Neo4jClient, ciIds: readonly string[], kinds: string[] | null, open: boolean | null): Promise<Map<string, TicketRow[]>> {
  const result = await client.read(`
    MATCH (t:Ticket)-[:CONCERNS]->(c:CI) WHERE c.id IN $ciIds AND ($kinds IS NULL OR t.kind IN $kinds) AND ($open IS NULL OR t.open = $open)
    WITH c.id AS ciId, t ORDER BY t.updatedAt DESC
    ${RETURN_TICKET}, ciId`, { ciIds, kinds, open });
  const out = new Map<string, TicketRow[]>();
  for (const r of result.records) {
    const list = out.get(r.get('ciId') as string) ?? [];
    list.push(row(r));
    out.set(r.get('ciId') as string, list);
  }
  return out;
}

export async function findTicket(client: Neo4jClient, system: string, number: string): Promise<TicketRow | null> {
  const result = await client.read(`MATCH (t:Ticket {key: $key}) ${RETURN_TICKET}`, { key: ticketKey(system, number) });
  return result.records.length ? row(result.records[0]) : null;
}

/**
 * Open tickets of a kind on these CIs, each with the CI it concerns; with a window, only those whose planned
 * window overlaps it (a ticket without a window overlaps every window: it is not known not to). `exclude` leaves
 * one ticket out (the change being assessed).
 */
export async function openTicketsOn(
  client: Neo4jClient, ciIds: readonly string[], kind: string, window: { start: string; end: string } | null, exclude: string | null,
): Promise<{ ticket: TicketRow; ciId: string }[]> {
  const result = await client.read(`
    MATCH (t:Ticket {kind: $kind, open: true})-[:CONCERNS]->(c:CI) WHERE c.id IN $ciIds AND ($exclude IS NULL OR t.key <> $exclude)
      AND ($start IS NULL OR ((t.plannedStart IS NULL OR t.plannedStart < $end) AND (t.plannedEnd IS NULL OR t.plannedEnd > $start)))
    WITH t, c ORDER BY t.updatedAt DESC, c.id
    ${RETURN_TICKET}, c.id AS ciId`, { ciIds, kind, exclude, start: window?.start ?? null, end: window?.end ?? null });
  return result.records.map((r) => ({ ticket: row(r), ciId: r.get('ciId') as string }));
}
