// Which addresses an outgoing request may reach (pure): every inside range named, the spellings of one address that
// URLs accept judged as that address, names that always mean an inside address, and the operator's allow list.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addressKind, embeddedIpv4 } from '../../src/net/addresses.ts';
import {
  addressRefusal,
  hostAllowed,
  nameRefusal,
  NOTHING_ALLOWED,
  parseAllowList,
  urlRefusal,
} from '../../src/net/policy.ts';

describe('addresses an outgoing request must not reach on its own', () => {
  const kinds: [string, ReturnType<typeof addressKind>][] = [
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['fd12:3456::1', 'private'],
    ['fc00::1', 'private'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['169.254.169.254', 'metadata'],
    ['169.254.170.2', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['100.64.0.1', 'shared'],
    ['100.127.255.255', 'shared'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['192.0.2.10', 'documentation'],
    ['198.51.100.1', 'documentation'],
    ['203.0.113.7', 'documentation'],
    ['2001:db8::1', 'documentation'],
    ['198.18.0.1', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['2001::1', 'reserved'],
    ['::7f00:1', 'reserved'],
    // IPv6 forms that carry an IPv4 address are judged by it
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:a9fe:a9fe', 'metadata'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['64:ff9b:1::a9fe:a9fe', 'metadata'],
    ['2002:7f00:1::1', 'loopback'],
    // public
    ['8.8.8.8', null],
    ['172.32.0.1', null],
    ['100.128.0.1', null],
    ['2606:4700:4700::1111', null],
    ['::ffff:8.8.8.8', null],
    ['64:ff9b::8.8.8.8', null],
    ['not an address', null],
  ];
  for (const [address, kind] of kinds)
    it(`${address}: ${kind ?? 'public'}`, () => assert.equal(addressKind(address), kind));

  it('finds the IPv4 address inside mapped, NAT64 and 6to4 addresses, and nothing in others', () => {
    assert.deepEqual(
      ['::ffff:7f00:1', '64:ff9b::a00:1', '2002:c000:0201::', '2001:db8::1', '10.0.0.1'].map(embeddedIpv4),
      ['127.0.0.1', '10.0.0.1', '192.0.2.1', null, null],
    );
  });
});

describe('URLs judged by their host when they are saved or registered', () => {
  const advice = '; allow it with RETAIN_ALLOW_PRIVATE_HOSTS';
  const table: [string, string | null][] = [
    ['http://127.0.0.1:8080/hook', '127.0.0.1 is a loopback address'],
    // the URL parser turns every spelling of 127.0.0.1 into 127.0.0.1 before it is judged
    ['http://0x7f.1/hook', '127.0.0.1 is a loopback address'],
    ['http://2130706433/hook', '127.0.0.1 is a loopback address'],
    ['http://017700000001/hook', '127.0.0.1 is a loopback address'],
    ['http://127.1/hook', '127.0.0.1 is a loopback address'],
    ['http://%31%32%37.0.0.1/hook', '127.0.0.1 is a loopback address'],
    ['http://[::1]/hook', '::1 is a loopback address'],
    ['http://[::ffff:127.0.0.1]/hook', '::ffff:7f00:1 is a loopback address'],
    ['http://0/hook', '0.0.0.0 is an unspecified address'],
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is a cloud metadata address'],
    ['http://[fd00:ec2::254]/', 'fd00:ec2::254 is a cloud metadata address'],
    ['https://10.1.2.3/send?to={{to}}', '10.1.2.3 is a private network address'],
    ['http://localhost:3000/', 'localhost is a loopback address'],
    ['http://LOCALHOST./', 'localhost is a loopback address'],
    ['http://shop.localhost/', 'shop.localhost is a loopback address'],
    ['http://metadata.google.internal/computeMetadata/v1/', 'metadata.google.internal is a cloud metadata address'],
    // names are judged after DNS, when connecting; text that is not a URL is not judged here
    ['https://hooks.example.com/retain', null],
    ['https://8.8.8.8/', null],
    ['https://{{secrets.host}}/send', null],
  ];
  for (const [url, refusal] of table) {
    it(`${url} → ${refusal ?? 'not refused here'}`, () =>
      assert.equal(urlRefusal(url, NOTHING_ALLOWED), refusal && refusal + advice));
  }
});

describe("the operator's allow list (RETAIN_ALLOW_PRIVATE_HOSTS)", () => {
  const allow = parseAllowList([
    '127.0.0.1',
    '10.20.0.0/16',
    'sms.internal',
    '*.corp.example',
    '[fd00::5]',
    '169.254.0.0/16',
  ]);

  const table: [string, boolean][] = [
    ['http://127.0.0.1:9/', true],
    ['http://127.0.0.2:9/', false],
    ['http://10.20.3.4/', true],
    ['http://10.21.0.1/', false],
    ['http://[fd00::5]/', true],
    ['http://[fd00::6]/', false],
    // a metadata address is allowed only when listed itself, never through a range
    ['http://169.254.1.1/', true],
    ['http://169.254.169.254/', false],
    ['http://localhost/', true], // localhost stands for 127.0.0.1, which is allowed
  ];
  for (const [url, allowed] of table)
    it(`${url}: ${allowed ? 'allowed' : 'refused'}`, () => assert.equal(urlRefusal(url, allow) === null, allowed));

  it('allows names whatever they resolve to, and subdomains of a *. entry (not the domain itself)', () => {
    assert.deepEqual(
      ['sms.internal', 'SMS.internal.', 'a.corp.example', 'b.a.corp.example', 'corp.example', 'other.internal'].map(
        (h) => hostAllowed(h, allow),
      ),
      [true, true, true, true, false, false],
    );
  });

  it('a metadata address listed itself is allowed; metadata names by name or by their address', () => {
    const exact = parseAllowList(['169.254.169.254']);
    assert.equal(addressRefusal('169.254.169.254', exact), null);
    assert.equal(nameRefusal('metadata.google.internal', exact), null);
    assert.equal(nameRefusal('metadata.google.internal', parseAllowList(['metadata.google.internal'])), null);
    assert.match(nameRefusal('metadata.google.internal', allow)!, /cloud metadata/);
  });

  it('refuses a bad entry, naming it and saying what to write', () => {
    assert.throws(() => parseAllowList(['10.0.0.0/33']), /"10\.0\.0\.0\/33" has a bad prefix length: use 0 to 32/);
    assert.throws(
      () => parseAllowList(['http://sms.internal']),
      /"http:\/\/sms\.internal" is not a host name, an IP address or a CIDR range/,
    );
    assert.throws(() => parseAllowList(['sms.internal/8']), /is not a host name/);
  });
});
