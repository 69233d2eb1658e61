/** ITSM ticket links: an incident, problem, change or request of another system, tied to the CIs it concerns. */
import { FieldError, InputError, NotFoundError } from '../model/field-error';
import { Neo4jClient } from '../graph/client';
import { EventBus, TOPICS } from '../events/event-bus';
import { findTicket, linkTicket, openTicketsOn, TicketFields, ticketKey, TicketRow, unlinkTicket, updateTicket } from '../graph/ticket.queries';

export const TICKET_KINDS = ['INCIDENT', 'PROBLEM', 'CHANGE', 'REQUEST'] as const;
export const TICKET_STATUSES = ['NEW', 'IN_PROGRESS', 'ON_HOLD', 'RESOLVED', 'CLOSED', 'CANCELLED'] as const;
const OPEN_STATUSES = new Set(['NEW', 'IN_PROGRESS', 'ON_HOLD']);

export interface TicketInput {
  system: string;
  key: string;
  kind?: string;
  status?: string;
  url?: string | null;
  title?: string | null;
  plannedStart?: Date | null;
  plannedEnd?: Date | null;
}

const LIMITS = { system: 64, key: 128, url: 2048, title: 500 };

function checked(input: TicketInput, creating: boolean): { errors: FieldError[]; fields: Partial<TicketFields> } {
  const errors: FieldError[] = [];
  for (const f of ['system', 'key'] as const) {
    const v = input[f];
    if (typeof v !== 'string' || !v.trim()) errors.push({ field: f, reason: 'is required' });
    else if (v.length > LIMITS[f]) errors.push({ field: f, reason: `at most ${LIMITS[f]} characters, got ${v.length}` });
  }
  if (creating && !input.kind) errors.push({ field: 'kind', reason: `is required to link a new ticket: one of ${TICKET_KINDS.join(', ')}` });
  if (creating && !input.status) errors.push({ field: 'status', reason: `is required to link a new ticket: one of ${TICKET_STATUSES.join(', ')}` });
  for (const f of ['url', 'title'] as const) {
    const v = input[f];
    if (typeof v === 'string' && v.length > LIMITS[f]) errors.push({ field: f, reason: `at most ${LIMITS[f]} characters, got ${v.length}` });
  }
  if (typeof input.url === 'string' && input.url && !/^https?:\/\//.test(input.url)) errors.push({ field: 'url', reason: 'must be an http(s) URL' });
  const start = input.plannedStart?.toISOString();
  const end = input.plannedEnd?.toISOString();
  if (start && end && end <= start) errors.push({ field: 'plannedEnd', reason: `must be after plannedStart (${start}), got ${end}` });
  const fields: Partial<TicketFields> = {
    ...(input.kind ? { kind: input.kind } : {}),
    ...(input.status ? { status: input.status, open: OPEN_STATUSES.has(input.status) } : {}),
    url: input.url, title: input.title,
    plannedStart: input.plannedStart === undefined ? undefined : start ?? null,
    plannedEnd: input.plannedEnd === undefined ? undefined : end ?? null,
  };
  return { errors, fields };
}

export class TicketService {
  constructor(private readonly client: Neo4jClient, private readonly by: string | null, private readonly bus: EventBus | null = null) {}

  /** A change ticket's window decides whether its CIs' alerts page: live service health is told. */
  private changed(ticket: TicketRow, also: string[] = []): TicketRow {
    if (ticket.kind === 'CHANGE') this.bus?.local.publish(TOPICS.MAINTENANCE_CHANGED, [...new Set([...ticket.ciIds, ...also])]);
    return ticket;
  }

  /** Idempotent per system and key: linking again updates the ticket and adds the CI. */
  async link(ciId: string, input: TicketInput): Promise<TicketRow> {
    const existing = await findTicket(this.client, input.system, input.key);
    const { errors, fields } = checked(input, !existing);
    if (existing && input.kind && input.kind !== existing.kind) errors.push({ field: 'kind', reason: `${input.system} ${input.key} is a ${existing.kind}, not a ${input.kind}` });
    this.checkWindow(existing, fields, errors);
    if (errors.length) throw new InputError(errors);
    const ticket = await linkTicket(this.client, input.system, input.key, ciId, fields as TicketFields, this.by, new Date().toISOString());
    if (!ticket) throw new NotFoundError('ciId', `no CI with id '${ciId}'`);
    return this.changed(ticket);
  }

  async update(input: TicketInput): Promise<TicketRow> {
    const existing = await findTicket(this.client, input.system, input.key);
    if (!existing) throw new NotFoundError('key', `no ticket ${input.key} of ${input.system} is linked; linkTicket links one`);
    const { errors, fields } = checked(input, false);
    if (input.kind && input.kind !== existing.kind) errors.push({ field: 'kind', reason: `${input.system} ${input.key} is a ${existing.kind}; a ticket's kind does not change` });
    this.checkWindow(existing, fields, errors);
    if (errors.length) throw new InputError(errors);
    return this.changed((await updateTicket(this.client, input.system, input.key, fields, this.by, new Date().toISOString()))!);
  }

  /** Without a CI, the ticket is unlinked from every CI (and so removed). */
  async unlink(system: string, key: string, ciId: string | null): Promise<{ ticket: TicketRow; deleted: boolean; unlinked: string[] }> {
    const done = await unlinkTicket(this.client, system, key, ciId ?? null);
    if (!done) throw new NotFoundError('key', `no ticket ${key} of ${system} is linked`);
    this.changed(done.ticket, done.unlinked);
    return done;
  }

  async find(system: string, key: string): Promise<TicketRow> {
    const t = await findTicket(this.client, system, key);
    if (!t) throw new NotFoundError('change', `no ticket ${key} of ${system} is linked`);
    return t;
  }

  /** Open tickets of a kind on these CIs (optionally overlapping a window, leaving one ticket out). */
  openOn(ciIds: readonly string[], kind: string, window: { start: string; end: string } | null, exclude: { system: string; key: string } | null) {
    return openTicketsOn(this.client, ciIds, kind, window, exclude ? ticketKey(exclude.system, exclude.key) : null);
  }

  /** A window given partly in this call and partly stored must still end after it starts. */
  private checkWindow(existing: TicketRow | null, fields: Partial<TicketFields>, errors: FieldError[]): void {
    const start = fields.plannedStart === undefined ? existing?.plannedStart : fields.plannedStart;
    const end = fields.plannedEnd === undefined ? existing?.plannedEnd : fields.plannedEnd;
    if (start && end && end <= start && !errors.some((e) => e.field === 'plannedEnd')) errors.push({ field: 'plannedEnd', reason: `must be after plannedStart (${start}), got ${end}` });
  }
}
