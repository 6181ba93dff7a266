import { JwtSecretRequestType, type JwtModuleOptions } from '@nestjs/jwt';
import type { AuthSettings, VerificationKey } from '@app/config';
import { ACCESS_TOKEN_ALGORITHM } from './access-token';

/** A token names no usable key (unknown `kid`, or an algorithm other than its key's). */
export class UnknownTokenKeyError extends Error {
  override readonly name = 'UnknownTokenKeyError';
}

/**
 * The key a token is verified with. With a JWKS the token's `kid` picks it (none or unknown: refused);
 * otherwise there is one key. The token's `alg` must be that key's one algorithm, so an HS256 token
 * "signed" with a public key's PEM, or `none`, never reaches a key it could fool (jsonwebtoken's
 * `algorithms` and its key-type check refuse them as well).
 */
export function verificationKeyFor(auth: AuthSettings, token: string): VerificationKey {
  let header: { alg?: unknown; kid?: unknown };
  try {
    header = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8')) as {
      alg?: unknown;
      kid?: unknown;
    };
  } catch {
    throw new UnknownTokenKeyError('the token header is not JSON');
  }
  const key =
    auth.source === 'AUTH_JWT_JWKS_FILE'
      ? auth.keys.find((candidate) => candidate.kid !== undefined && candidate.kid === header.kid)
      : auth.keys[0];
  if (!key) throw new UnknownTokenKeyError('no key has the token kid');
  if (header.alg !== key.algorithm) {
    throw new UnknownTokenKeyError('the token alg is not its key algorithm');
  }
  return key;
}

/**
 * JwtModule's options for AuthSettings: verification picks the key per token (verificationKeyFor)
 * and checks `iss`/`aud` when configured, with the clock skew tolerated; signing (only signAccessToken
 * and whoever injects JwtService) has the HS256 secret, or nothing when the identity provider's
 * public keys are configured: this service then cannot mint a token.
 */
export function accessTokenJwtOptions(auth: AuthSettings): JwtModuleOptions {
  return {
    secretOrKeyProvider: (type, tokenOrPayload) => {
      if (type === JwtSecretRequestType.SIGN) {
        if (auth.signingSecret === undefined) {
          throw new Error(
            `tokens are verified with ${auth.source}: this service cannot sign tokens (the identity provider does)`,
          );
        }
        return auth.signingSecret;
      }
      // On verification jsonwebtoken hands the token itself.
      return verificationKeyFor(auth, typeof tokenOrPayload === 'string' ? tokenOrPayload : '').key;
    },
    signOptions: { algorithm: ACCESS_TOKEN_ALGORITHM },
    verifyOptions: {
      algorithms: [...new Set(auth.keys.map((key) => key.algorithm))],
      issuer: auth.issuer,
      audience: auth.audience,
      clockTolerance: auth.clockToleranceSeconds,
    },
  };
}
