import { type LookupAddress, lookup as dnsLookup } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * Where webhooks may not go unless allowed (`GAVEL_WEBHOOK_ALLOW_PRIVATE`): loopback, private, link-local,
 * shared (CGNAT), unspecified, documentation, benchmarking, multicast and reserved ranges (IANA special-purpose
 * registries). A webhook pointed at them would make the server a proxy into its own network (SSRF): the
 * cloud metadata service at 169.254.169.254, a database on 10.0.0.5.
 */
const FORBIDDEN = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  FORBIDDEN.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96], // NAT64: embeds an IPv4 address
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 23], // IETF protocol assignments, Teredo (2001::/32) among them
  ['2001:db8::', 32],
  ['2002::', 16], // 6to4: embeds an IPv4 address
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const)
  FORBIDDEN.addSubnet(network, prefix, 'ipv6');

/** Whether an IP address (v4, v6, or v4-mapped v6) is one webhooks may not reach by default. */
export function isForbiddenAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return FORBIDDEN.check(mapped[1]!, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return FORBIDDEN.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Resolves a host name to all its addresses (dns.lookup's contract; tests give their own). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    ),
  );

export interface UrlPolicy {
  allowPrivate: boolean;
  resolve: Resolver;
}

/** Why a URL is refused: `invalid` (not a URL webhooks take) or `forbidden` (an address it may not reach). */
export type UrlVerdict = { ok: true; url: URL } | { ok: false; reason: 'invalid' | 'forbidden'; detail: string };

/** A URL's host without IPv6 brackets. */
function hostOf(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/**
 * Checks a webhook URL when it is registered: http(s), no credentials in it, and (unless private addresses
 * are allowed) a host whose every address is allowed. Each delivery checks again (guardedLookup).
 */
export async function checkWebhookUrl(raw: string, policy: UrlPolicy): Promise<UrlVerdict> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'invalid', detail: 'not a URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return { ok: false, reason: 'invalid', detail: 'the URL must be http:// or https://' };
  if (url.username !== '' || url.password !== '')
    return { ok: false, reason: 'invalid', detail: 'the URL must not carry a user name or password' };
  if (policy.allowPrivate) return { ok: true, url };
  const host = hostOf(url);
  if (isIP(host) !== 0)
    return isForbiddenAddress(host)
      ? { ok: false, reason: 'forbidden', detail: `${host} is a loopback, private or reserved address` }
      : { ok: true, url };
  let addresses: LookupAddress[];
  try {
    addresses = await policy.resolve(host);
  } catch {
    return { ok: false, reason: 'invalid', detail: `${host} does not resolve` };
  }
  const bad = addresses.find((a) => isForbiddenAddress(a.address));
  if (bad)
    return {
      ok: false,
      reason: 'forbidden',
      detail: `${host} resolves to ${bad.address}, which webhooks may not reach`,
    };
  if (addresses.length === 0) return { ok: false, reason: 'invalid', detail: `${host} does not resolve` };
  return { ok: true, url };
}

/** The error a delivery fails with when its host now resolves to a forbidden address. */
export class ForbiddenAddressError extends Error {
  readonly code = 'WEBHOOK_ADDRESS_FORBIDDEN';
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * The `lookup` of a delivery's connection: resolves the host, refuses the connection when any address is
 * forbidden, and hands the socket exactly the addresses it checked, so a DNS answer that changes between
 * the check and the connect (DNS rebinding) cannot slip a private address through.
 */
export function guardedLookup(policy: UrlPolicy) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    policy.resolve(hostname).then(
      (addresses) => {
        const bad = policy.allowPrivate ? undefined : addresses.find((a) => isForbiddenAddress(a.address));
        if (bad)
          return callback(
            new ForbiddenAddressError(`${hostname} resolved to ${bad.address}, which webhooks may not reach`),
            [],
          );
        const first = addresses[0];
        if (!first)
          return callback(Object.assign(new Error(`${hostname} does not resolve`), { code: 'ENOTFOUND' }), []);
        if (options.all) callback(null, addresses);
        else callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, []),
    );
  };
}
