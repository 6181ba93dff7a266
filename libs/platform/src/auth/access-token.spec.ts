import { JwtService } from '@nestjs/jwt';
import { parseDuration, signAccessToken } from './access-token';

describe('parseDuration', () => {
  it.each([
    ['90', 90],
    ['90s', 90],
    ['15m', 900],
    ['12h', 43_200],
    ['7d', 604_800],
  ])('given %s, when parsed, then it is %i seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each(['', '0', '0h', '-5m', '1.5h', '12 hours', 'h', '1w'])(
    'given %p, when parsed, then it is rejected',
    (text) => {
      expect(parseDuration(text)).toBeUndefined();
    },
  );
});

describe('signAccessToken', () => {
  it('given a principal and a ttl, when signed, then an HS256 token with sub, role and exp results', async () => {
    const before = Math.floor(Date.now() / 1000);

    const token = signAccessToken('s3cret', { id: 'alice', role: 'admin' }, 3600);

    const header = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString());
    expect(header.alg).toBe('HS256');
    const claims = await new JwtService({ secret: 's3cret' }).verifyAsync(token, {
      algorithms: ['HS256'],
    });
    expect(claims).toMatchObject({ sub: 'alice', role: 'admin' });
    expect(claims.exp - claims.iat).toBe(3600);
    expect(claims.iat).toBeGreaterThanOrEqual(before);
  });
});
