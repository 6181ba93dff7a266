import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { AuthenticatedRequest, Principal } from './principal';
import { isRole, Role } from './roles';

export const IS_PUBLIC_KEY = 'auth:public';
export const REQUIRED_ROLE_KEY = 'auth:required-role';

/** The route (or every route of the controller) needs no token: health, metrics, docs. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_KEY, true);

/**
 * The route (or every route of the controller) needs a token with at least this role. A handler's
 * own @RequireRole or @Public wins over its controller's. Routes with neither need any valid token.
 */
export const RequireRole = (role: Role): MethodDecorator & ClassDecorator => {
  if (!isRole(role)) throw new TypeError(`@RequireRole: unknown role ${String(role)}`);
  return SetMetadata(REQUIRED_ROLE_KEY, role);
};

/** The authenticated caller (`request.user`); undefined only on @Public routes. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal | undefined =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().user,
);
