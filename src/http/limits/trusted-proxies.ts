import { BlockList, isIP } from 'node:net';

/**
 * `GAVEL_TRUST_PROXY`: the proxies whose `X-Forwarded-For` is believed, as
 * addresses or CIDR ranges. Only a request whose peer is one of them gets its
 * client address from that header (fastify's trustProxy walks the chain);
 * everyone else is the address of their own connection. Empty: trust nobody.
 */
export function trustedProxies(entries: readonly string[]): { list: string[]; includes(address: string): boolean } {
  const blocks = new BlockList();
  for (const entry of entries) {
    const [address, prefix] = entry.split('/');
    const family = isIP(address ?? '');
    if (family === 0) throw new Error(`GAVEL_TRUST_PROXY: not an address or CIDR range: ${entry}`);
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) blocks.addAddress(address!, type);
    else blocks.addSubnet(address!, Number(prefix), type);
  }
  return {
    list: [...entries],
    includes(address: string) {
      if (entries.length === 0) return false;
      const mapped = address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
      return blocks.check(mapped, isIP(mapped) === 6 ? 'ipv6' : 'ipv4');
    },
  };
}
