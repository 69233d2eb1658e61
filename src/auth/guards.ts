import { forbidden } from './auth-errors';
import { ITSM_FIELDS, Permission } from './permissions';
import { can, Principal } from './principal';

/** A discovery principal reports as its bound source only; admins may report as any. */
export function assertMayReportAs(p: Principal, source: string, field = 'source'): void {
  if (can(p, Permission.ADMIN)) return;
  if (p.source === null) throw forbidden(`${p.name} is not bound to a source; a discovery token is created for one source`, field);
  if (p.source !== source) throw forbidden(`${p.name} may report only as source '${p.source}', not '${String(source).slice(0, 64)}'`, field);
}

/** Events: a token bound to a source (discovery) posts only as that source; itsm, editor and admin as any. */
export function assertMayPostEventsAs(p: Principal, source: string, field = 'source'): void {
  if (p.source !== null && p.source !== source) throw forbidden(`${p.name} may post events only as source '${p.source}', not '${String(source).slice(0, 64)}'`, field);
}

/** Without EDIT, updateCi may change only the fields an ITSM tool owns. */
export function assertMayUpdateFields(p: Principal, input: object): void {
  if (can(p, Permission.EDIT)) return;
  const others = Object.entries(input).filter(([k, v]) => v !== undefined && !ITSM_FIELDS.has(k)).map(([k]) => k);
  if (others.length) {
    throw forbidden(`${p.name} (role ${p.role}) may change only ${[...ITSM_FIELDS].join(', ')}; not ${others.join(', ')}`, `input.${others[0]}`);
  }
}
