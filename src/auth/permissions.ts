/**
 * What a principal may do. Each root field of the schema declares the one permission it needs
 * (`@Allow`, next to the resolver); a role is a set of permissions. The README's role table is this file.
 */
export enum Permission {
  /** CIs, relationships, history, impact, health, the model, sources and runs. */
  READ = 'read',
  /** Attributes the model flags `sensitive`, in CIs and in history. */
  READ_SENSITIVE = 'read:sensitive',
  /** The changes an ITSM tool makes to a CI: lifecycle status, owner, support group. */
  ITSM_WRITE = 'write:itsm',
  /** reconcile, startSyncRun, finishSyncRun: only for the source a discovery token is bound to. */
  RECONCILE = 'reconcile',
  /** Alerts and other events in (the Alertmanager webhook, ingestEvents); a discovery token only as its source. */
  EVENTS = 'write:events',
  /** Manual CI and relationship edits, precedence and redundancy rules. */
  EDIT = 'edit',
  /** Sources, tokens: everything. */
  ADMIN = 'admin',
}

export const ROLES = ['viewer', 'itsm', 'discovery', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_PERMISSIONS: Readonly<Record<Role, ReadonlySet<Permission>>> = {
  viewer: new Set([Permission.READ]),
  itsm: new Set([Permission.READ, Permission.READ_SENSITIVE, Permission.ITSM_WRITE, Permission.EVENTS]),
  discovery: new Set([Permission.READ, Permission.RECONCILE, Permission.EVENTS]),
  editor: new Set([Permission.READ, Permission.READ_SENSITIVE, Permission.ITSM_WRITE, Permission.EVENTS, Permission.EDIT]),
  admin: new Set(Object.values(Permission)),
};

/** The CI fields an ITSM principal (without EDIT) may change through updateCi. */
export const ITSM_FIELDS: ReadonlySet<string> = new Set(['lifecycleStatus', 'owner', 'supportGroup']);

export const isRole = (value: unknown): value is Role => typeof value === 'string' && (ROLES as readonly string[]).includes(value);
