import { Authorized, Extensions } from 'type-graphql';
import { Permission } from './permissions';

/**
 * Declares the permission a root field needs, next to its resolver. It both guards the field
 * (type-graphql's @Authorized with our auth checker) and records the rule in the field's extensions,
 * where the schema test checks that no root field lacks one.
 */
export function Allow(permission: Permission): MethodDecorator {
  return (target, key, descriptor) => {
    Authorized(permission)(target, key, descriptor);
    Extensions({ permission })(target, key, descriptor);
  };
}
