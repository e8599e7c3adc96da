import { BlockList, isIP } from 'node:net';
import { lookup } from 'node:dns/promises';

/**
 * The SSRF guard: a webhook may only reach the public internet over HTTPS. Checked when the
 * subscription is made and again on every delivery, on the addresses the connection really
 * uses (sendWebhook resolves through `guardedLookup`), so a name that later resolves to a
 * private address (DNS rebinding) is refused too. WEBHOOK_ALLOW_PRIVATE lifts it for
 * development and tests only.
 */
// Two lists: one BlockList also matches IPv4 addresses against IPv4-mapped IPv6 rules.
const blocked = new BlockList();
const blocked6 = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  blocked6.addSubnet(net, prefix, 'ipv6');
}

/** Whether an IP address is one a webhook may not reach (private, loopback, link-local, reserved). */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) {
    // An IPv4-mapped address is judged by its IPv4 part.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return blocked.check(mapped[1]!, 'ipv4');
    return blocked6.check(address, 'ipv6');
  }
  return true;
}

export class UnsafeUrlError extends Error {}

/** Parses and checks a webhook URL (scheme, credentials, host's addresses). Throws UnsafeUrlError with the reason. */
export async function checkWebhookUrl(raw: string, allowPrivate: boolean): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeUrlError('Give an absolute URL, e.g. https://erp.example.com/hooks.');
  }
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) throw new UnsafeUrlError('Webhook URLs must use https://.');
  if (url.username || url.password) throw new UnsafeUrlError('Put no user name or password in the URL; verify the signature instead.');
  if (raw.length > 2000) throw new UnsafeUrlError('The URL is too long (at most 2,000 characters).');
  if (!allowPrivate) await resolvePublic(url.hostname);
  return url;
}

/** Every address `host` resolves to, refusing private ones. */
async function resolvePublic(host: string): Promise<{ address: string; family: number }[]> {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (isIP(bare)) {
    if (isPrivateAddress(bare)) throw new UnsafeUrlError('The URL points at a private, loopback or reserved address.');
    return [{ address: bare, family: isIP(bare) }];
  }
  let addresses: { address: string; family: number }[];
  try {
    addresses = await lookup(bare, { all: true });
  } catch {
    throw new UnsafeUrlError(`The host ${bare} does not resolve.`);
  }
  if (!addresses.length || addresses.some((a) => isPrivateAddress(a.address))) {
    throw new UnsafeUrlError(`The host ${bare} resolves to a private, loopback or reserved address.`);
  }
  return addresses;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | { address: string; family: number }[], family?: number) => void;

/** A `lookup` for http.request that only connects to public addresses (the delivery-time re-check). */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    const resolved = allowPrivate ? lookup(hostname, { all: true }) : resolvePublic(hostname);
    resolved.then(
      (addresses) => (options.all ? callback(null, addresses) : callback(null, addresses[0]!.address, addresses[0]!.family)),
      (err: Error) => callback(Object.assign(err, { code: 'EUNSAFEHOST' }), ''),
    );
  };
}
