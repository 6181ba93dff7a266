import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '@app/config';
import { IS_PUBLIC_KEY, REQUIRED_ROLE_KEY } from './auth.decorators';
import type { AuthenticatedRequest, Principal } from './principal';
import { isRole, Role, roleAtLeast } from './roles';

const BEARER = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/i;

interface HeaderWriter {
  setHeader?(name: string, value: string): unknown;
  headersSent?: boolean;
}

/**
 * The global guard of the REST API (installed as APP_GUARD by AuthModule). Every HTTP route needs
 * `Authorization: Bearer <JWT>` verified with AppConfig.auth (HS256 with AUTH_JWT_SECRET, or RS256/
 * ES256 with the identity provider's AUTH_JWT_PUBLIC_KEY or JWKS), carrying `sub`, a known `role` and
 * `exp` no more than AUTH_JWT_MAX_LIFETIME after `iat` (without `iat`: after now); `nbf`, `iss` and
 * `aud` (when configured) are checked, all with 30 s of clock skew. @Public routes skip it;
 * @RequireRole routes also need that role or a higher one. Missing, malformed, forged, expired or
 * too long-lived token: 401 (with a `WWW-Authenticate: Bearer` challenge); too low a role: 403. The
 * caller becomes `request.user`.
 *
 * Only HTTP is guarded: Kafka and other transports carry no bearer token and pass through.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const { isPublic, requiredRole } = this.routeRequirements(context);
    if (isPublic) return true;

    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const principal = await this.authenticate(request, http.getResponse<HeaderWriter>());
    request.user = principal;

    if (requiredRole && !roleAtLeast(principal.role, requiredRole)) {
      throw new ForbiddenException(`This action needs the ${requiredRole} role or higher.`);
    }
    return true;
  }

  /** A handler's own metadata wins over its controller's, so one route can be opened or tightened. */
  private routeRequirements(context: ExecutionContext): {
    isPublic: boolean;
    requiredRole?: Role;
  } {
    for (const target of [context.getHandler(), context.getClass()]) {
      if (this.reflector.get<boolean | undefined>(IS_PUBLIC_KEY, target)) return { isPublic: true };
      const role = this.reflector.get<Role | undefined>(REQUIRED_ROLE_KEY, target);
      if (role) return { isPublic: false, requiredRole: role };
    }
    return { isPublic: false };
  }

  private async authenticate(
    request: AuthenticatedRequest,
    response: HeaderWriter,
  ): Promise<Principal> {
    const reject = (error: 'invalid_request' | 'invalid_token', detail: string): never => {
      const challenge = error === 'invalid_request' ? 'Bearer' : 'Bearer error="invalid_token"';
      if (typeof response.setHeader === 'function' && !response.headersSent) {
        response.setHeader('WWW-Authenticate', challenge);
      }
      throw new UnauthorizedException(detail);
    };

    const header = request.headers.authorization;
    if (typeof header !== 'string' || header.trim() === '') {
      return reject('invalid_request', 'A bearer token is required.');
    }
    const token = BEARER.exec(header.trim())?.[1];
    if (!token) return reject('invalid_token', 'The Authorization header is not a bearer token.');

    let claims: Record<string, unknown>;
    try {
      // Key, algorithm, signature, exp/nbf, iss and aud: AuthModule's options (accessTokenJwtOptions).
      claims = await this.jwt.verifyAsync<Record<string, unknown>>(token);
    } catch {
      return reject('invalid_token', 'The bearer token is invalid or expired.');
    }

    const { maxLifetimeSeconds, clockToleranceSeconds } = this.config.auth;
    const now = Math.floor(Date.now() / 1000);
    const { exp, iat } = claims;
    if (typeof exp !== 'number')
      return reject('invalid_token', 'The bearer token has no expiry (exp).');
    if (iat !== undefined && (typeof iat !== 'number' || iat > now + clockToleranceSeconds)) {
      return reject('invalid_token', 'The bearer token was issued in the future (iat).');
    }
    if (exp - (iat ?? now) > maxLifetimeSeconds) {
      return reject(
        'invalid_token',
        `The bearer token is valid for longer than ${maxLifetimeSeconds} s, the most this service accepts.`,
      );
    }

    const { sub, role } = claims;
    if (typeof sub !== 'string' || sub === '') {
      return reject('invalid_token', 'The bearer token has no subject.');
    }
    if (!isRole(role)) return reject('invalid_token', 'The bearer token has no valid role.');
    return { id: sub, role };
  }
}
