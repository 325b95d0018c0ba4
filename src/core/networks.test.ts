import { describe, expect, it } from 'vitest';
import { networkOf } from './networks.ts';

describe('networkOf', () => {
  it('keeps an IPv4 /24 and an IPv6 /48, and reads IPv4-mapped addresses as IPv4', () => {
    expect(networkOf('203.0.113.7')).toBe('203.0.113.0/24');
    expect(networkOf('::ffff:198.51.100.200')).toBe('198.51.100.0/24');
    expect(networkOf('2001:db8:1:2::5')).toBe('2001:db8:1::/48');
    expect(networkOf('2001:0DB8:0001:0002:0003:0004:0005:0006')).toBe('2001:db8:1::/48');
    expect(networkOf('::1')).toBe('0:0:0::/48');
    expect(networkOf('fe80::1%eth0')).toBe('fe80:0:0::/48');
  });

  it('answers nothing for what is not an address', () => {
    for (const value of [undefined, '', 'localhost', '256.1.1.1', '1.2.3', '1::2::3', '1:2:3:4:5:6:7:8:9', 'g::1', '1:2:3:4:5:6:7:8::']) {
      expect(networkOf(value)).toBeUndefined();
    }
  });
});
