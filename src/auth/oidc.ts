import { createRemoteJWKSet, errors, jwtVerify, JWTPayload } from 'jose';
import { Role } from './permissions';
import { Principal } from './principal';

export interface OidcSettings {
  issuer: string;
  audience: string;
  /** The issuer's JWKS; default: jwks_uri from <issuer>/.well-known/openid-configuration. */
  jwksUrl: string | null;
  /** Dotted path of the claim holding role names, e.g. `roles`, `realm_access.roles`, `groups`. */
  rolesClaim: string;
  /** Claim values are matched as <prefix><role>, e.g. prefix `cmdb-` matches `cmdb-editor`. */
  rolePrefix: string;
  algorithms: string[];
  /** Least time between two key-set fetches caused by unknown key ids (default 30 s). */
  jwksCooldownMs?: number;
}

/** People sign in with the identity provider; discovery needs a bound source, so only API tokens carry it. */
const OIDC_ROLES: Role[] = ['admin', 'editor', 'itsm', 'viewer'];

export type OidcRefusal = { refused: string };

function claimAt(payload: JWTPayload, path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), payload);
}

/**
 * Verifies OpenID Connect access tokens (JWTs) with jose: signature against the issuer's JWKS (cached;
 * a token with an unknown key id makes it fetch the set again, so key rotation works), issuer, audience,
 * algorithm, expiry and not-before. The principal's role is the highest of ours named in the roles claim.
 */
export class OidcVerifier {
  private jwks: ReturnType<typeof createRemoteJWKSet> | null = null;

  constructor(private readonly settings: OidcSettings) {}

  private async keySet(): Promise<ReturnType<typeof createRemoteJWKSet>> {
    if (this.jwks) return this.jwks;
    let url = this.settings.jwksUrl;
    if (!url) {
      const res = await fetch(`${this.settings.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(5000) });
      if (!res.ok) throw new Error(`OpenID configuration of ${this.settings.issuer} answered HTTP ${res.status}`);
      url = String(((await res.json()) as { jwks_uri?: string }).jwks_uri ?? '');
      if (!url) throw new Error(`OpenID configuration of ${this.settings.issuer} has no jwks_uri`);
    }
    this.jwks = createRemoteJWKSet(new URL(url), { cacheMaxAge: 10 * 60_000, cooldownDuration: this.settings.jwksCooldownMs ?? 30_000, timeoutDuration: 5000 });
    return this.jwks;
  }

  /** The principal, or why the token is refused (no token value in the reason). Throws only when the JWKS cannot be fetched. */
  async verify(token: string): Promise<Principal | OidcRefusal> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, await this.keySet(), {
        issuer: this.settings.issuer, audience: this.settings.audience, algorithms: this.settings.algorithms, requiredClaims: ['sub', 'exp', 'aud'],
      }));
    } catch (err) {
      if (err instanceof errors.JWTExpired) return { refused: 'the access token has expired' };
      if (err instanceof errors.JWTClaimValidationFailed) return { refused: `the access token's ${err.claim} claim is not accepted (${err.reason})` };
      if (err instanceof errors.JWSSignatureVerificationFailed || err instanceof errors.JWKSNoMatchingKey) return { refused: 'the access token is not signed by a key of the configured issuer' };
      if (err instanceof errors.JOSEAlgNotAllowed) return { refused: 'the access token uses an algorithm that is not allowed' };
      if (err instanceof errors.JWTInvalid || err instanceof errors.JWSInvalid || err instanceof errors.JOSENotSupported) return { refused: 'the access token is not a valid JWT' };
      throw err;
    }
    const claim = claimAt(payload, this.settings.rolesClaim);
    const values = new Set((Array.isArray(claim) ? claim : typeof claim === 'string' ? claim.split(/[\s,]+/) : []).map(String));
    const role = OIDC_ROLES.find((r) => values.has(`${this.settings.rolePrefix}${r}`));
    if (!role) return { refused: `the access token's ${this.settings.rolesClaim} claim names no cmdb role (${OIDC_ROLES.map((r) => this.settings.rolePrefix + r).join(', ')})` };
    return { kind: 'jwt', name: `jwt:${payload.sub}`, role, source: null };
  }
}
