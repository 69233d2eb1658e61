import { createHash, randomBytes, randomUUID } from 'crypto';
import { Neo4jClient } from '../graph/client';
import { listDataSources } from '../graph/source.queries';
import {
  ApiTokenRecord, countActiveAdminTokens, findApiTokenByHash, insertApiToken, listApiTokens, revokeApiToken, touchApiToken,
} from '../graph/token.queries';
import { FieldError, InputError, NotFoundError } from '../model/field-error';
import { didYouMean } from '../model/suggest';
import { isRole, Role, ROLES } from './permissions';
import { Principal } from './principal';
import { TokenCache } from './token-cache';

export const TOKEN_PREFIX = 'cmdb_';
/** cmdb_ + 43 base64url characters (32 random bytes). */
const TOKEN_SHAPE = /^cmdb_[A-Za-z0-9_-]{43}$/;
const TOKEN_NAME = /^[A-Za-z0-9][A-Za-z0-9 _.@:-]{0,63}$/;
/** lastUsedAt is written at most this often per token, so reads do not each cost a write. */
const TOUCH_INTERVAL_MS = 60_000;

/** A 256-bit random secret needs no slow KDF: a plain SHA-256 is a safe, constant-cost lookup key. */
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export const generateToken = (): string => TOKEN_PREFIX + randomBytes(32).toString('base64url');

export interface NewApiToken {
  name: string;
  role: string;
  source?: string | null;
  expiresAt?: string | null;
}

export interface ApiTokenView extends Omit<ApiTokenRecord, 'hash'> {}

const view = ({ hash: _hash, ...rest }: ApiTokenRecord): ApiTokenView => rest;

/** Why a presented token was refused; logged, never returned with the token value. */
export type TokenRefusal = 'malformed' | 'unknown' | 'revoked' | 'expired';

export class ApiTokens {
  private readonly touched = new Map<string, number>();

  /** `cache`: the app's (one per process); without it every authentication reads the token. */
  constructor(private readonly client: Neo4jClient, private readonly cache: TokenCache | null = null) {}

  /** Creates a token; the secret is in the answer once and never stored. */
  async create(input: NewApiToken, createdBy: string, now = new Date()): Promise<{ token: string; record: ApiTokenView }> {
    const errors: FieldError[] = [];
    const name = typeof input.name === 'string' ? input.name.trim() : '';
    if (!TOKEN_NAME.test(name)) errors.push({ field: 'name', reason: `must be 1 to 64 letters, digits, spaces or _.@:- starting with a letter or digit, got '${String(input.name).slice(0, 80)}'` });
    if (!isRole(input.role)) errors.push({ field: 'role', reason: `must be one of ${ROLES.join(', ')}, got '${String(input.role).slice(0, 40)}'` });
    const source = input.source ?? null;
    if (input.role === 'discovery') {
      if (!source) errors.push({ field: 'source', reason: 'a discovery token must be bound to the source it reports as' });
      else {
        const names = (await listDataSources(this.client)).map((s) => s.name);
        if (!names.includes(source)) errors.push({ field: 'source', reason: `source '${source.slice(0, 64)}' is not registered${didYouMean(source.slice(0, 64), names)}` });
      }
    } else if (source) {
      errors.push({ field: 'source', reason: 'only discovery tokens are bound to a source' });
    }
    let expiresAt: string | null = null;
    if (input.expiresAt) {
      const t = Date.parse(input.expiresAt);
      if (Number.isNaN(t)) errors.push({ field: 'expiresAt', reason: `must be an ISO date-time, got '${String(input.expiresAt).slice(0, 40)}'` });
      else if (t <= now.getTime()) errors.push({ field: 'expiresAt', reason: 'must be in the future' });
      else expiresAt = new Date(t).toISOString();
    }
    if (errors.length) throw new InputError(errors);
    const token = generateToken();
    const record = await insertApiToken(this.client, {
      id: randomUUID(), name, role: input.role, source, hash: hashToken(token), createdAt: now.toISOString(), createdBy,
      expiresAt, lastUsedAt: null, revokedAt: null,
    });
    if (!record) throw new InputError([{ field: 'name', reason: `an active token is already named '${name}'; revoke it or choose another name` }]);
    return { token, record: view(record) };
  }

  async list(includeRevoked: boolean): Promise<ApiTokenView[]> {
    return (await listApiTokens(this.client, includeRevoked)).map(view);
  }

  async revoke(id: string): Promise<ApiTokenView> {
    const record = await revokeApiToken(this.client, id, new Date().toISOString());
    if (!record) throw new NotFoundError('id', `no API token '${String(id).slice(0, 64)}'`);
    this.cache?.revoked(record.id);
    return view(record);
  }

  hasActiveAdmin(): Promise<boolean> {
    return countActiveAdminTokens(this.client, new Date().toISOString()).then((n) => n > 0);
  }

  /** The principal a bearer token stands for, or why it is refused. Revocation and expiry apply at once. */
  async authenticate(token: string, now = new Date()): Promise<Principal | TokenRefusal> {
    if (!TOKEN_SHAPE.test(token)) return 'malformed';
    const hash = hashToken(token);
    let record = this.cache?.get(hash) ?? null;
    if (!record) {
      record = await findApiTokenByHash(this.client, hash);
      if (record && !record.revokedAt) this.cache?.set(hash, record);
    }
    if (!record) return 'unknown';
    if (record.revokedAt) return 'revoked';
    if (record.expiresAt && Date.parse(record.expiresAt) <= now.getTime()) return 'expired';
    if (!isRole(record.role)) return 'unknown';
    const last = this.touched.get(record.id) ?? (record.lastUsedAt ? Date.parse(record.lastUsedAt) : 0);
    if (now.getTime() - last >= TOUCH_INTERVAL_MS) {
      this.touched.set(record.id, now.getTime());
      await touchApiToken(this.client, record.id, now.toISOString());
    }
    return { kind: 'token', name: `token:${record.name}`, role: record.role as Role, source: record.source };
  }
}
