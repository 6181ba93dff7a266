import { isRole, type Role } from './roles';

export interface TokenClaims {
  subject: string;
  role: Role;
  /** When the token stops working, if it says. */
  expiresAt: Date | null;
}

export class TokenFormatError extends Error {}

/**
 * Reads the claims of a bearer token (a JWT) to label the session and shape the page. It does not
 * verify the signature: only the API can, and it does on every call.
 */
export function readTokenClaims(token: string, now: Date = new Date()): TokenClaims {
  const parts = token.trim().split('.');
  if (parts.length !== 3) {
    throw new TokenFormatError(
      'That is not a bearer token: expected a JWT (three dot-separated parts).',
    );
  }
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(base64UrlDecode(parts[1])) as Record<string, unknown>;
  } catch {
    throw new TokenFormatError('The token cannot be read: its payload is not base64url JSON.');
  }
  if (!isRole(claims.role)) {
    throw new TokenFormatError(
      `The token has no usable role claim (got ${JSON.stringify(claims.role ?? null)}).`,
    );
  }
  const expiresAt = typeof claims.exp === 'number' ? new Date(claims.exp * 1000) : null;
  if (expiresAt && expiresAt <= now) {
    throw new TokenFormatError(`The token expired at ${expiresAt.toISOString()}. Mint a new one.`);
  }
  return {
    subject: typeof claims.sub === 'string' ? claims.sub : 'unknown',
    role: claims.role,
    expiresAt,
  };
}

function base64UrlDecode(text: string): string {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
  const bytes = Uint8Array.from(atob(padded), (char) => char.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}
