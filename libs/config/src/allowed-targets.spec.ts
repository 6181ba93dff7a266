import { parseAllowedTarget, parseAllowedTargets } from './allowed-targets';

describe('parseAllowedTarget (one DELIVERY_ALLOWED_CIDRS entry)', () => {
  it.each([
    ['10.0.0.0/8', { kind: 'network', address: '10.0.0.0', prefix: 8, port: null }],
    ['127.0.0.1/32:8443', { kind: 'network', address: '127.0.0.1', prefix: 32, port: 8443 }],
    ['fd00::/8', { kind: 'network', address: 'fd00::', prefix: 8, port: null }],
    ['[fd00::/8]:8443', { kind: 'network', address: 'fd00::', prefix: 8, port: 8443 }],
    ['[fd00::/8]', { kind: 'network', address: 'fd00::', prefix: 8, port: null }],
    ['10.1.2.3', { kind: 'network', address: '10.1.2.3', prefix: 32, port: null }],
    ['10.1.2.3:9000', { kind: 'network', address: '10.1.2.3', prefix: 32, port: 9000 }],
    ['fd00::1', { kind: 'network', address: 'fd00::1', prefix: 128, port: null }],
    ['[fd00::1]:443', { kind: 'network', address: 'fd00::1', prefix: 128, port: 443 }],
  ])('given %s, when parsed, then it is an address range (%j)', (entry, expected) => {
    expect(parseAllowedTarget(entry)).toEqual({ ok: true, target: expected });
  });

  it.each([
    ['receiver.internal', { kind: 'host', host: 'receiver.internal', port: null }],
    ['receiver.internal:8443', { kind: 'host', host: 'receiver.internal', port: 8443 }],
    ['CRM.Corp.Example:443', { kind: 'host', host: 'crm.corp.example', port: 443 }],
    ['receiver.internal.:443', { kind: 'host', host: 'receiver.internal', port: 443 }],
    ['localhost:4000', { kind: 'host', host: 'localhost', port: 4000 }],
    ['my_host-1.lan', { kind: 'host', host: 'my_host-1.lan', port: null }],
    ['bücher.example:443', { kind: 'host', host: 'xn--bcher-kva.example', port: 443 }],
  ])(
    'given %s, when parsed, then it is an exact host name, lower case, as URLs write it (%j)',
    (entry, expected) => {
      expect(parseAllowedTarget(entry)).toEqual({ ok: true, target: expected });
    },
  );

  it.each([
    ['999.0.0.0/8', /not a valid CIDR/],
    ['10.0.0.0/33', /not a valid CIDR/],
    ['fd00::/129', /not a valid CIDR/],
    ['0x0a.0.0.0/8', /CIDR/],
    ['10.0.0.0/8:0', /port/],
    ['10.0.0.0/8:65536', /port/],
    ['[fd00::/8]:', /port/],
    ['receiver.internal:http', /host name/],
    ['receiver.internal:99999', /port/],
    ['*.internal', /host name/],
    ['https://receiver.internal', /host name/],
    ['receiver..internal', /host name/],
    ['2130706433', /IP address/],
    ['0x7f000001', /IP address/],
    ['127.1', /IP address/],
    ['[10.0.0.1]:80', /IPv6/],
    ['[fd00::1', /host name/],
  ])('given %s, when parsed, then it is refused (%s)', (entry, reason) => {
    const parsed = parseAllowedTarget(entry);

    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).toMatch(reason);
  });
});

describe('parseAllowedTargets (the whole variable)', () => {
  it('given entries of every form with spaces around commas, when parsed, then each is kept, in order', () => {
    const parsed = parseAllowedTargets(' 10.0.0.0/8 , receiver.internal:8443,[fd00::/8]:8443,,');

    expect(parsed).toEqual({
      ok: true,
      targets: [
        { kind: 'network', address: '10.0.0.0', prefix: 8, port: null },
        { kind: 'host', host: 'receiver.internal', port: 8443 },
        { kind: 'network', address: 'fd00::', prefix: 8, port: 8443 },
      ],
    });
  });

  it('given one bad entry among good ones, when parsed, then the error names that entry and why', () => {
    const parsed = parseAllowedTargets('10.0.0.0/8,10.0.0.0/8:0,receiver.internal');

    expect(parsed).toEqual({
      ok: false,
      reason: '"10.0.0.0/8:0": the port must be 1 to 65535',
    });
  });
});
