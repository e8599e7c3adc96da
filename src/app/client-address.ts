import type http from 'node:http';

/**
 * The client's address, for throttling (issue 12, item 2): the socket's peer, unless
 * TRUST_PROXY names the header a trusted proxy in front of the API writes. A client can put
 * anything in X-Forwarded-For itself, so only the entries appended by our own proxies count:
 * with N trusted proxies, the Nth address from the right.
 */
export function clientAddress(req: http.IncomingMessage, trustProxy: string | undefined): string {
  const peer = req.socket.remoteAddress ?? 'unknown';
  if (!trustProxy) return peer;
  const [name, hops] = trustProxy.toLowerCase().split(':') as [string, string | undefined];
  const raw = req.headers[name];
  const value = Array.isArray(raw) ? raw.join(',') : raw;
  if (!value) return peer;
  const entries = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const pick = name === 'x-forwarded-for' ? entries[entries.length - Number(hops ?? 1)] : entries[0];
  // Fewer entries than trusted proxies: the request did not come through them all.
  return pick && pick.length <= 100 ? pick : peer;
}
