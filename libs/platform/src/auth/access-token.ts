import { JwtService } from '@nestjs/jwt';
import type { Principal } from './principal';
import type { Role } from './roles';

/** Bearer tokens are HS256 only; every other algorithm (and `none`) is rejected. */
export const ACCESS_TOKEN_ALGORITHM = 'HS256';

/** The claims JwtAuthGuard requires: `sub` (the principal id) and `role`; `exp`/`nbf` are honoured. */
export interface AccessTokenClaims {
  sub: string;
  role: Role;
  iat?: number;
  exp?: number;
  nbf?: number;
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** Parses `90`, `90s`, `15m`, `12h` or `7d` into whole seconds; undefined when malformed or zero. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d{1,9})([smhd]?)$/.exec(text.trim());
  if (!match) return undefined;
  const seconds = Number(match[1]) * UNIT_SECONDS[match[2] || 's'];
  return seconds > 0 ? seconds : undefined;
}

/** Signs an access token for `principal` with the HS256 `secret`, valid for `ttlSeconds`. */
export function signAccessToken(secret: string, principal: Principal, ttlSeconds: number): string {
  return new JwtService({ secret }).sign(
    { role: principal.role },
    { algorithm: ACCESS_TOKEN_ALGORITHM, subject: principal.id, expiresIn: ttlSeconds },
  );
}
