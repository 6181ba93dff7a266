import { parseHosts } from './hosts-file';

describe('parseHosts', () => {
  it('given addresses with several names, comments and blank lines, when parsed, then every name maps to its addresses, IPv4 first', () => {
    const table = parseHosts(
      [
        '# The hosts file',
        '',
        '::1         localhost ip6-localhost',
        '127.0.0.1   localhost   # loopback',
        '10.0.0.5\tDB.internal db',
        '\t10.0.0.6 db',
      ].join('\r\n'),
    );

    expect(table.get('localhost')).toEqual([
      { address: '127.0.0.1', family: 4 },
      { address: '::1', family: 6 },
    ]);
    expect(table.get('ip6-localhost')).toEqual([{ address: '::1', family: 6 }]);
    expect(table.get('db.internal')).toEqual([{ address: '10.0.0.5', family: 4 }]);
    expect(table.get('db')).toEqual([
      { address: '10.0.0.5', family: 4 },
      { address: '10.0.0.6', family: 4 },
    ]);
  });

  it('given lines whose first field is no IP address, or with no name, when parsed, then they are skipped', () => {
    const table = parseHosts('example.com 10.0.0.1\n10.0.0.2\n#10.0.0.3 commented.test\n');

    expect([...table.keys()]).toEqual([]);
  });

  it('given one address listed twice for a name, when parsed, then it is given once', () => {
    expect(parseHosts('10.0.0.1 twice.test\n10.0.0.1 twice.test\n').get('twice.test')).toEqual([
      { address: '10.0.0.1', family: 4 },
    ]);
  });
});
