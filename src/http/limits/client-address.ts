import { normalizeIP } from '@fastify/rate-limit';

/**
 * The key under which a client address is counted by every per-address limit. An IPv4 address (or an
 * IPv4-mapped IPv6 one) counts alone; an IPv6 address counts by its /64, the block one subscriber is
 * usually given: counting each of its 2^64 addresses apart would let one client walk around every limit.
 */
export function addressKey(ip: string): string {
  return normalizeIP(ip, 64);
}
