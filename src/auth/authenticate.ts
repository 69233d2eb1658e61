import type { Logger } from 'pino';
import { ApiTokens, TOKEN_PREFIX } from './api-tokens';
import { serviceUnavailable, unauthenticated } from './auth-errors';
import { Role } from './permissions';
import { OidcVerifier } from './oidc';
import { anonymousPrincipal, Principal } from './principal';

export interface AuthenticatorOptions {
  tokens: ApiTokens;
  /** The role of requests without credentials; null (the default) refuses them. Never above viewer. */
  anonymousRole: Role | null;
  /** Verifies OpenID Connect access tokens when an issuer is configured. */
  oidc?: OidcVerifier | null;
  logger?: Logger;
}

export type Authenticate = (authorization: string | undefined) => Promise<Principal>;

/**
 * Turns a request's Authorization header into a principal, or throws UNAUTHENTICATED (HTTP 401).
 * Refusals are logged with the reason and the token's prefix only, never the token.
 */
export function createAuthenticator(opts: AuthenticatorOptions): Authenticate {
  const refuse = (reason: string, hint: string) => {
    opts.logger?.warn({ auth: { reason, token: hint } }, `authentication refused: ${reason}`);
    return unauthenticated(`authentication failed: ${reason}`);
  };
  return async (authorization) => {
    if (authorization === undefined || authorization === '') {
      if (opts.anonymousRole) return anonymousPrincipal(opts.anonymousRole);
      throw unauthenticated('authentication required: send Authorization: Bearer <token> (an API token cmdb_... or an OpenID Connect access token)');
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) throw refuse('the Authorization header must be "Bearer <token>"', authorization.split(/\s/, 1)[0].slice(0, 16));
    const token = match[1];
    const hint = token.startsWith(TOKEN_PREFIX) ? `${token.slice(0, 9)}...` : '(not a cmdb_ token)';
    if (!token.startsWith(TOKEN_PREFIX)) {
      if (!opts.oidc) throw refuse('not an API token (cmdb_...) and no OpenID Connect issuer is configured', hint);
      let verified: Awaited<ReturnType<OidcVerifier['verify']>>;
      try {
        verified = await opts.oidc.verify(token);
      } catch (err) {
        opts.logger?.error({ err }, 'OpenID Connect key set unavailable');
        throw serviceUnavailable("cannot check the access token right now: the identity provider's keys cannot be fetched; retry shortly");
      }
      if ('refused' in verified) throw refuse(verified.refused, hint);
      return verified;
    }
    let result: Awaited<ReturnType<ApiTokens['authenticate']>>;
    try {
      result = await opts.tokens.authenticate(token);
    } catch (err) {
      opts.logger?.error({ err, auth: { token: hint } }, 'API token lookup failed');
      throw serviceUnavailable('cannot check credentials right now: the database does not answer; retry shortly');
    }
    if (typeof result === 'string') {
      const why = { malformed: 'the API token is malformed', unknown: 'unknown API token', revoked: 'the API token was revoked', expired: 'the API token has expired' }[result];
      throw refuse(why, hint);
    }
    return result;
  };
}
