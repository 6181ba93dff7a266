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
      category: description,
      reason: `${ip} is ${description}`,
    });
  });

  it.each([
    [
      '::ffff:127.0.0.1',
      'the IPv4-mapped form of 127.0.0.1, a loopback address',
      'the IPv4-mapped form of a loopback address',
    ],
    [
      '::ffff:7f00:1',
      'the IPv4-mapped form of 127.0.0.1, a loopback address',
      'the IPv4-mapped form of a loopback address',
    ],
    [
      '::ffff:169.254.169.254',
      'the IPv4-mapped form of 169.254.169.254, a link-local address (cloud metadata service)',
      'the IPv4-mapped form of a link-local address (cloud metadata service)',
    ],
    [
      '::ffff:10.0.0.1',
      'the IPv4-mapped form of 10.0.0.1, a private (RFC 1918) address',
      'the IPv4-mapped form of a private (RFC 1918) address',
    ],
    // As URLs and DNS write ::127.0.0.1 (ipaddr.js reads that spelling as IPv4-mapped; refused alike).
    [
      '::7f00:1',
      'the IPv4-compatible form of 127.0.0.1, a loopback address',
      'the IPv4-compatible form of a loopback address',
    ],
    [
      '::a00:1',
      'the IPv4-compatible form of 10.0.0.1, a private (RFC 1918) address',
      'the IPv4-compatible form of a private (RFC 1918) address',
    ],
    [
      '::ffff:0:7f00:1',
      'the IPv4-translated form of 127.0.0.1, a loopback address',
      'the IPv4-translated form of a loopback address',
    ],
    [
      '64:ff9b::a9fe:a9fe',
      'the NAT64 form of 169.254.169.254, a link-local address (cloud metadata service)',
      'the NAT64 form of a link-local address (cloud metadata service)',
    ],
    [
      '2002:7f00:1::1',
      'a 6to4 address via 127.0.0.1, a loopback address',
      'a 6to4 address via a loopback address',
    ],
  ])(
    'given %s, an IPv6 form of a refused IPv4, when checked, then it is refused too, and its category names no address',
    (ip, description, category) => {
      expect(guard.check(ip)).toEqual({
        allowed: false,
        description,
        category,
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

    it.each(['999.0.0.0/8', '10.0.0.0/33', 'fd00::/129'])(
      'given %s, not a valid CIDR, when the policy is built, then a ConfigurationError names DELIVERY_ALLOWED_CIDRS',
      (cidr) => {
        expect(() => new AddressPolicy([cidr])).toThrow(ConfigurationError);
        expect(() => new AddressPolicy([cidr])).toThrow(/DELIVERY_ALLOWED_CIDRS/);
      },
    );
  });
});
