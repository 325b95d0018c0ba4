/**
 * The network an address belongs to, as Writ keeps it: an IPv4 address's /24, an IPv6 address's /48. A person's exact
 * address is not needed to notice that they signed in from somewhere new, and is not kept for it.
 */

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function ipv4Network(address: string): string | undefined {
  const parts = IPV4.exec(address)?.slice(1).map(Number);
  if (!parts || parts.some((part) => part > 255)) return undefined;
  return `${parts[0]}.${parts[1]}.${parts[2]}.0/24`;
}

/** The eight 16-bit groups of an IPv6 address, or undefined when it is not one (a zone suffix is dropped). */
function ipv6Groups(address: string): number[] | undefined {
  const bare = address.split('%')[0] ?? '';
  const halves = bare.split('::');
  if (halves.length > 2) return undefined;
  const parse = (half: string | undefined): number[] | undefined => {
    if (!half) return [];
    const groups: number[] = [];
    for (const piece of half.split(':')) {
      if (!/^[0-9a-f]{1,4}$/i.test(piece)) return undefined;
      groups.push(Number.parseInt(piece, 16));
    }
    return groups;
  };
  const [head, tail] = [parse(halves[0]), parse(halves[1])];
  if (!head || !tail) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  const missing = 8 - head.length - tail.length;
  return missing >= 1 ? [...head, ...Array<number>(missing).fill(0), ...tail] : undefined;
}

/** `203.0.113.7` → `203.0.113.0/24`; `2001:db8:1:2::5` → `2001:db8:1::/48`; an IPv4-mapped IPv6 address as IPv4. */
export function networkOf(address: string | undefined): string | undefined {
  if (!address) return undefined;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped?.[1]) return ipv4Network(mapped[1]);
  if (address.includes('.')) return ipv4Network(address);
  const groups = ipv6Groups(address);
  if (!groups) return undefined;
  return `${groups
    .slice(0, 3)
    .map((group) => group.toString(16))
    .join(':')}::/48`;
}
