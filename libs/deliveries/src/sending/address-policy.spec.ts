import { ConfigurationError } from '@app/config';
import { AddressPolicy } from './address-policy';

describe('AddressPolicy', () => {
  const guard = new AddressPolicy();

  it.each([
    ['93.184.215.14', 'public IPv4'],
    ['8.8.8.8', 'public IPv4'],
    ['2606:4700:4700::1111', 'public IPv6'],
    ['::ffff:8.8.8.8', 'IPv4-mapped public IPv4'],
    ['64:ff9b::808:808', 'NAT64 form of a public IPv4 (IPv6-only networks with DNS64)'],
  ])('given %s (%s), when checked, then it may be connected to', (ip) => {
    expect(guard.check(ip)).toEqual({ allowed: true });
  });

  it.each([
    ['127.0.0.1', 'a loopback address'],
    ['127.255.0.9', 'a loopback address'],
    ['::1', 'a loopback address'],
    ['10.1.2.3', 'a private (RFC 1918) address'],
    ['172.16.0.1', 'a private (RFC 1918) address'],
    ['172.31.255.255', 'a private (RFC 1918) address'],
    ['192.168.1.1', 'a private (RFC 1918) address'],
    ['169.254.1.1', 'a link-local address'],
    ['169.254.169.254', 'a link-local address (cloud metadata service)'],
    ['fe80::1', 'a link-local address'],
    ['fd12:3456::1', 'a unique-local (fc00::/7) address'],
    ['fd00:ec2::254', 'a unique-local (fc00::/7) address (cloud metadata service)'],
    ['100.64.0.1', 'a carrier-grade NAT (RFC 6598) address'],
    ['100.100.100.200', 'a carrier-grade NAT (RFC 6598) address (cloud metadata service)'],
    ['0.0.0.0', 'an unspecified address'],
    ['0.1.2.3', 'an unspecified address'],
    ['::', 'an unspecified address'],
    ['255.255.255.255', 'a broadcast address'],
    ['224.0.0.1', 'a multicast address'],
    ['239.255.255.250', 'a multicast address'],
    ['ff02::1', 'a multicast address'],
    ['240.0.0.1', 'a reserved address'],
    ['192.0.2.1', 'a reserved address'],
    ['198.18.0.1', 'a reserved address'],
    ['192.0.0.192', 'a reserved address (cloud metadata service)'],
    ['2001:db8::1', 'a reserved address'],
    ['fec0::1', 'a site-local address'],
    ['4000::1', 'not a global unicast address'],
  ])('given %s, when checked, then it is refused as %s', (ip, description) => {
    expect(guard.check(ip)).toEqual({
      allowed: false,
      description,
      reason: `${ip} is ${description}`,
    });
  });

  it.each([
    ['::ffff:127.0.0.1', 'the IPv4-mapped form of 127.0.0.1, a loopback address'],
    ['::ffff:7f00:1', 'the IPv4-mapped form of 127.0.0.1, a loopback address'],
    [
      '::ffff:169.254.169.254',
      'the IPv4-mapped form of 169.254.169.254, a link-local address (cloud metadata service)',
    ],
    ['::ffff:10.0.0.1', 'the IPv4-mapped form of 10.0.0.1, a private (RFC 1918) address'],
    // As URLs and DNS write ::127.0.0.1 (ipaddr.js reads that spelling as IPv4-mapped; refused alike).
    ['::7f00:1', 'the IPv4-compatible form of 127.0.0.1, a loopback address'],
    ['::a00:1', 'the IPv4-compatible form of 10.0.0.1, a private (RFC 1918) address'],
    ['::ffff:0:7f00:1', 'the IPv4-translated form of 127.0.0.1, a loopback address'],
    [
      '64:ff9b::a9fe:a9fe',
      'the NAT64 form of 169.254.169.254, a link-local address (cloud metadata service)',
    ],
    ['2002:7f00:1::1', 'a 6to4 address via 127.0.0.1, a loopback address'],
  ])(
    'given %s, an IPv6 form of a refused IPv4, when checked, then it is refused too',
    (ip, description) => {
      expect(guard.check(ip)).toEqual({
        allowed: false,
        description,
        reason: `${ip} is ${description}`,
      });
    },
  );

  it('given ::127.0.0.1 spelled with a dotted quad, when checked, then it is refused', () => {
    expect(guard.check('::127.0.0.1')).toMatchObject({ allowed: false });
  });

  it.each(['localhost', 'example.com', '', '1.2.3.4.5', '::g'])(
    'given %j, which is no IP address, when checked, then it is refused',
    (value) => {
      expect(guard.check(value)).toMatchObject({
        allowed: false,
        description: 'not an IP address',
      });
    },
  );

  describe('allowed CIDRs', () => {
    it('given 127.0.0.1/32 allowed, when 127.0.0.1 is checked, then it may be connected to, and 127.0.0.2 still not', () => {
      const policy = new AddressPolicy(['127.0.0.1/32']);

      expect(policy.check('127.0.0.1')).toEqual({ allowed: true });
      expect(policy.check('127.0.0.2')).toMatchObject({ allowed: false });
      expect(policy.check('::1')).toMatchObject({ allowed: false });
    });

    it('given 127.0.0.1/32 allowed, when its IPv4-mapped form is checked, then it is allowed as well: the same host', () => {
      const policy = new AddressPolicy(['127.0.0.1/32']);

      expect(policy.check('::ffff:127.0.0.1')).toEqual({ allowed: true });
    });

    it('given private networks allowed, when addresses inside and outside them are checked, then only those inside pass', () => {
      const policy = new AddressPolicy(['10.0.0.0/8', 'fd00::/8']);

      expect(policy.check('10.20.30.40')).toEqual({ allowed: true });
      expect(policy.check('fd00::1234')).toEqual({ allowed: true });
      expect(policy.check('192.168.0.1')).toMatchObject({ allowed: false });
      expect(policy.check('169.254.169.254')).toMatchObject({ allowed: false });
      expect(policy.check('fc00::1')).toMatchObject({ allowed: false });
    });

    it('given an IPv4 CIDR allowed, when a 6to4 address through it is checked, then it is still refused: the host is not that IPv4 one', () => {
      const policy = new AddressPolicy(['127.0.0.0/8']);

      expect(policy.check('2002:7f00:1::1')).toMatchObject({ allowed: false });
    });

    it('given the config, when built from it, then its CIDRs are the exemptions', () => {
      const policy = AddressPolicy.fromConfig({ deliveryAllowedCidrs: ['192.168.0.0/16'] });

      expect(policy.check('192.168.5.5')).toEqual({ allowed: true });
    });

    it.each([
      '999.0.0.0/8',
      '10.0.0.0/33',
      'fd00::/129',
      '10.0.0.0/8:0',
      '*.internal',
      '2130706433',
    ])(
      'given %s, not a valid entry, when the policy is built, then a ConfigurationError names DELIVERY_ALLOWED_CIDRS and the entry',
      (cidr) => {
        expect(() => new AddressPolicy([cidr])).toThrow(ConfigurationError);
        expect(() => new AddressPolicy([cidr])).toThrow(/DELIVERY_ALLOWED_CIDRS/);
        expect(() => new AddressPolicy([cidr])).toThrow(cidr);
      },
    );
  });
  describe('allowed CIDRs on one port (CIDR:port)', () => {
    const policy = new AddressPolicy(['127.0.0.1/32:8443', '[fd00::/8]:9443']);

    it('given 127.0.0.1/32:8443, when 127.0.0.1 is checked for port 8443, then it may be connected to', () => {
      expect(policy.check('127.0.0.1', { host: '127.0.0.1', port: 8443 })).toEqual({
        allowed: true,
      });
      expect(policy.check('127.0.0.1', { host: 'localhost', port: 8443 })).toEqual({
        allowed: true,
      });
    });

    it('given 127.0.0.1/32:8443, when 127.0.0.1 is checked for another port or with no port, then it is refused as a loopback address', () => {
      expect(policy.check('127.0.0.1', { host: '127.0.0.1', port: 8444 })).toEqual({
        allowed: false,
        description: 'a loopback address',
        reason: '127.0.0.1 is a loopback address',
      });
      expect(policy.check('127.0.0.1', { host: '127.0.0.1', port: 443 })).toMatchObject({
        allowed: false,
      });
      expect(policy.check('127.0.0.1')).toMatchObject({ allowed: false });
    });

    it('given 127.0.0.1/32:8443, when its IPv4-mapped form is checked, then the port decides alike', () => {
      expect(policy.check('::ffff:127.0.0.1', { host: '::ffff:127.0.0.1', port: 8443 })).toEqual({
        allowed: true,
      });
      expect(
        policy.check('::ffff:127.0.0.1', { host: '::ffff:127.0.0.1', port: 8444 }),
      ).toMatchObject({ allowed: false });
    });

    it('given [fd00::/8]:9443, when an address inside is checked, then only port 9443 passes', () => {
      expect(policy.check('fd00::1', { host: 'fd00::1', port: 9443 })).toEqual({ allowed: true });
      expect(policy.check('fd00::1', { host: 'fd00::1', port: 443 })).toMatchObject({
        allowed: false,
        description: 'a unique-local (fc00::/7) address',
      });
    });

    it('given only port-limited entries, when a public address is checked on any port, then it may be connected to', () => {
      expect(policy.check('8.8.8.8', { host: 'dns.google', port: 1234 })).toEqual({
        allowed: true,
      });
    });
  });

  describe('allowed CIDRs on every port (the broad, older form)', () => {
    it('given 10.0.0.0/8, when an address inside is checked on any port or with none, then it may be connected to', () => {
      const policy = new AddressPolicy(['10.0.0.0/8']);

      expect(policy.check('10.1.2.3', { host: '10.1.2.3', port: 5432 })).toEqual({ allowed: true });
      expect(policy.check('10.1.2.3', { host: 'db.internal', port: 22 })).toEqual({
        allowed: true,
      });
      expect(policy.check('10.1.2.3')).toEqual({ allowed: true });
    });

    it('given an address with a port (10.1.2.3:9000), when checked, then it is a /32 on that port', () => {
      const policy = new AddressPolicy(['10.1.2.3:9000']);

      expect(policy.check('10.1.2.3', { host: '10.1.2.3', port: 9000 })).toEqual({ allowed: true });
      expect(policy.check('10.1.2.4', { host: '10.1.2.4', port: 9000 })).toMatchObject({
        allowed: false,
      });
      expect(policy.check('10.1.2.3', { host: '10.1.2.3', port: 9001 })).toMatchObject({
        allowed: false,
      });
    });
  });

  describe('allowed host names (host:port, host)', () => {
    const policy = new AddressPolicy(['receiver.internal:8443', 'crm.lan']);

    it('given receiver.internal:8443, when an address it resolved to is checked for that name and port, then it may be connected to', () => {
      expect(policy.check('10.1.2.3', { host: 'receiver.internal', port: 8443 })).toEqual({
        allowed: true,
      });
      expect(policy.check('127.0.0.1', { host: 'receiver.internal', port: 8443 })).toEqual({
        allowed: true,
      });
      expect(policy.check('fd00::5', { host: 'receiver.internal', port: 8443 })).toEqual({
        allowed: true,
      });
    });

    it('given receiver.internal:8443, when the name is written in another case or with a final dot, then it matches all the same', () => {
      expect(policy.check('10.1.2.3', { host: 'Receiver.INTERNAL', port: 8443 })).toEqual({
        allowed: true,
      });
      expect(policy.check('10.1.2.3', { host: 'receiver.internal.', port: 8443 })).toEqual({
        allowed: true,
      });
    });

    it('given receiver.internal:8443, when the same address is checked for another port, another name or as a literal, then it is refused', () => {
      expect(policy.check('10.1.2.3', { host: 'receiver.internal', port: 443 })).toMatchObject({
        allowed: false,
        description: 'a private (RFC 1918) address',
      });
      expect(policy.check('10.1.2.3', { host: 'other.internal', port: 8443 })).toMatchObject({
        allowed: false,
      });
      expect(policy.check('10.1.2.3', { host: 'x.receiver.internal', port: 8443 })).toMatchObject({
        allowed: false,
      });
      expect(policy.check('10.1.2.3', { host: '10.1.2.3', port: 8443 })).toMatchObject({
        allowed: false,
      });
      expect(policy.check('10.1.2.3')).toMatchObject({ allowed: false });
    });

    it('given crm.lan without a port, when its address is checked on any port, then it may be connected to', () => {
      expect(policy.check('192.168.1.10', { host: 'crm.lan', port: 443 })).toEqual({
        allowed: true,
      });
      expect(policy.check('192.168.1.10', { host: 'crm.lan', port: 8080 })).toEqual({
        allowed: true,
      });
    });

    it.each([
      ['0.0.0.0', 'an unspecified address'],
      ['::', 'an unspecified address'],
      ['255.255.255.255', 'a broadcast address'],
      ['224.0.0.1', 'a multicast address'],
      ['169.254.169.254', 'a link-local address (cloud metadata service)'],
      [
        '::ffff:169.254.169.254',
        'the IPv4-mapped form of 169.254.169.254, a link-local address (cloud metadata service)',
      ],
      ['fd00:ec2::254', 'a unique-local (fc00::/7) address (cloud metadata service)'],
    ])(
      'given an allowed host name resolving to %s, when checked, then it is still refused: no receiver lives there',
      (ip, description) => {
        expect(policy.check(ip, { host: 'crm.lan', port: 443 })).toMatchObject({
          allowed: false,
          description,
        });
      },
    );
  });
});
