import { readTokenClaims, TokenFormatError } from './token';
import { can } from './roles';

function jwt(payload: object): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(payload)}.signature`;
}

const now = new Date('2026-11-27T12:00:00Z');

describe('reading a bearer token for the admin page', () => {
  it('given a token with sub, role and exp, when read, then the page knows who, which role and until when', () => {
    const claims = readTokenClaims(jwt({ sub: 'alice', role: 'admin', exp: 1_800_000_000 }), now);
    expect(claims).toEqual({
      subject: 'alice',
      role: 'admin',
      expiresAt: new Date(1_800_000_000_000),
    });
  });

  it('given surrounding whitespace from a paste, when read, then it is ignored', () => {
    expect(readTokenClaims(`  ${jwt({ sub: 'bo', role: 'owner' })}\n`, now).role).toBe('owner');
  });

  it.each([
    ['not a jwt', 'three dot-separated parts'],
    ['a.!!!.c', 'not base64url JSON'],
    [jwt({ sub: 'x' }), 'no usable role claim'],
    [jwt({ sub: 'x', role: 'superuser' }), 'no usable role claim'],
    [jwt({ sub: 'x', role: 'admin', exp: now.getTime() / 1000 - 1 }), 'expired'],
  ])('given %s, when read, then it is refused saying why', (token, reason) => {
    expect(() => readTokenClaims(token, now)).toThrow(TokenFormatError);
    expect(() => readTokenClaims(token, now)).toThrow(reason);
  });
});

describe('what each role may do on the page', () => {
  it.each([
    ['viewer', false, false, false],
    ['auditor', true, false, false],
    ['admin', true, true, false],
    ['owner', true, true, true],
  ] as const)('%s: read %s, write %s, edit settings %s', (role, read, write, editSettings) => {
    expect([can(role, 'read'), can(role, 'write'), can(role, 'editSettings')]).toEqual([
      read,
      write,
      editSettings,
    ]);
  });
});
