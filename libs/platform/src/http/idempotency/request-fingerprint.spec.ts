import { idempotencyScope, requestFingerprint } from './request-fingerprint';

describe('requestFingerprint', () => {
  const body = {
    name: 'CRM Sync',
    url: 'https://crm.example.com/hooks',
    eventTypes: ['license.created', 'license.assigned'],
    retry: { max: 3, backoff: { base: 5, factor: 2 } },
  };

  it('given a body, when fingerprinted, then it is the hex sha-256 of its canonical JSON', () => {
    // printf '%s' '{"a":[true,null],"b":1}' | sha256sum
    expect(requestFingerprint({ b: 1, a: [true, null] })).toBe(
      '51705a2c9eb3e7e410a58f696a770c3ac3885a0cf43eb7fc88f5e47c11d4d30d',
    );
  });

  it('given the same body with keys in another order at every level, when fingerprinted, then it is the same', () => {
    const reordered = {
      retry: { backoff: { factor: 2, base: 5 }, max: 3 },
      eventTypes: ['license.created', 'license.assigned'],
      url: 'https://crm.example.com/hooks',
      name: 'CRM Sync',
    };

    expect(requestFingerprint(reordered)).toBe(requestFingerprint(body));
  });

  it('given the same JSON with other whitespace, when parsed and fingerprinted, then it is the same', () => {
    const compact = JSON.parse('{"a":1,"b":{"c":[1,2],"d":"x y"}}') as unknown;
    const spaced = JSON.parse(
      '\n{ "a" : 1 ,\n\t"b" : { "c" : [ 1 , 2 ] , "d" : "x y" } }\n',
    ) as unknown;

    expect(requestFingerprint(spaced)).toBe(requestFingerprint(compact));
  });

  it.each([
    ['another value', { ...body, name: 'CRM sync' }],
    ['another array order', { ...body, eventTypes: ['license.assigned', 'license.created'] }],
    ['one more field', { ...body, description: '' }],
    ['a number as a string', { ...body, retry: { ...body.retry, max: '3' } }],
  ])('given %s, when fingerprinted, then it differs', (_what, other) => {
    expect(requestFingerprint(other)).not.toBe(requestFingerprint(body));
  });

  it('given no body, when fingerprinted, then it counts as null and differs from an empty object', () => {
    expect(requestFingerprint(undefined)).toBe(requestFingerprint(null));
    expect(requestFingerprint(undefined)).not.toBe(requestFingerprint({}));
  });
});

describe('idempotencyScope', () => {
  const parts = {
    principalId: 'alice',
    method: 'POST',
    path: '/api/v1/webhooks/abc/activate',
    key: 'k-1',
  };

  it('given the same parts, when hashed, then the scope is stable, hex sha-256', () => {
    expect(idempotencyScope(parts)).toBe(idempotencyScope({ ...parts }));
    expect(idempotencyScope(parts)).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['another principal', { principalId: 'bob' }],
    ['another path', { path: '/api/v1/webhooks/abc/deactivate' }],
    ['another key', { key: 'k-2' }],
    ['another method', { method: 'PUT' }],
  ])('given %s, when hashed, then the scope differs', (_what, change) => {
    expect(idempotencyScope({ ...parts, ...change })).not.toBe(idempotencyScope(parts));
  });

  it('given parts that would run together when joined, when hashed, then the scopes differ', () => {
    const joined = idempotencyScope({ ...parts, principalId: 'ali', key: 'ce|k-1' });

    expect(joined).not.toBe(idempotencyScope({ ...parts, principalId: 'ali|ce', key: 'k-1' }));
  });
});
