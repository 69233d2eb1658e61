import type { AuthChecker } from 'type-graphql';
import { forbidden, unauthenticated } from './auth-errors';
import { Permission } from './permissions';
import { can, Principal } from './principal';

/** Grants a field when the principal's role has every permission it declares; explains refusals. */
export const authChecker: AuthChecker<{ principal: Principal }, Permission> = ({ context, info }, permissions) => {
  const p = context.principal;
  const missing = permissions.filter((perm) => !can(p, perm));
  if (!missing.length) return true;
  if (p.kind === 'anonymous') throw unauthenticated(`authentication required: ${info.fieldName} needs the '${missing[0]}' permission, which anonymous access never has`);
  throw forbidden(`${p.name} (role ${p.role}) may not call ${info.fieldName}: it needs the '${missing[0]}' permission`);
};
