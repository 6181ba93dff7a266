import { JwtService } from '@nestjs/jwt';
import type { Principal } from './principal';
import type { Role } from './roles';

export { parseDuration } from '@app/config';

/**
 * The one algorithm this service signs with (AUTH_JWT_SECRET). Verification accepts HS256 only with
 * AUTH_JWT_SECRET, RS256/ES256 only with AUTH_JWT_PUBLIC_KEY or AUTH_JWT_JWKS_FILE; never `none`.
 */
export const ACCESS_TOKEN_ALGORITHM = 'HS256';

/**
 * The claims JwtAuthGuard requires: `sub` (the principal id), `role` and `exp` (at most
 * AUTH_JWT_MAX_LIFETIME after `iat`); `nbf` is honoured, `iss`/`aud` checked when configured.
 */
export interface AccessTokenClaims {
  sub: string;
  role: Role;
  exp: number;
  iat?: number;
  nbf?: number;
  iss?: string;
  aud?: string | string[];
}

/** `iss` and `aud` for a token, as AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE expect them. */
export interface AccessTokenAudience {
  issuer?: string;
  audience?: string;
}

/** Signs an access token for `principal` with the HS256 `secret`, valid for `ttlSeconds`. */
export function signAccessToken(
  secret: string,
  principal: Principal,
  ttlSeconds: number,
  { issuer, audience }: AccessTokenAudience = {},
): string {
  return new JwtService({ secret }).sign(
    { role: principal.role },
    {
      algorithm: ACCESS_TOKEN_ALGORITHM,
      subject: principal.id,
      expiresIn: ttlSeconds,
      ...(issuer === undefined ? {} : { issuer }),
      ...(audience === undefined ? {} : { audience }),
    },
  );
}
