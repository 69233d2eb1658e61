import { Permission, Role, ROLE_PERMISSIONS } from './permissions';

/** Who is calling: resolved once per request from its credentials. */
export interface Principal {
  /** How it authenticated. */
  kind: 'token' | 'jwt' | 'anonymous' | 'system';
  /** The name history records as the actor: `token:<name>`, `jwt:<subject>`, `anonymous`. */
  name: string;
  role: Role;
  /** A discovery token's source: it may reconcile as that source only. */
  source: string | null;
}

/** The name a write records as the caller that made it; null for in-process work. */
export const requesterName = (p: Principal): string | null => (p.kind === 'system' ? null : p.name);

export const can = (p: Principal, permission: Permission): boolean => ROLE_PERMISSIONS[p.role].has(permission);

/** In-process work that runs with every right (start-up, the demo's own loader is not one: it uses a token). */
export const SYSTEM_PRINCIPAL: Principal = { kind: 'system', name: 'system', role: 'admin', source: null };

export const anonymousPrincipal = (role: Role): Principal => ({ kind: 'anonymous', name: 'anonymous', role, source: null });
