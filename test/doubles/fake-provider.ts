import { createServer, type IncomingHttpHeaders } from 'node:http';

/**
 * A local stand-in for a provider's HTTP API, for this module's tests only: listens on
 * 127.0.0.1 and a random port, records every request exactly as received, and answers with
 * whatever the current handler returns (a status and JSON, or a delay to provoke time-outs).
 */

export interface RecordedRequest {
  method: string;
  /** Path and query, e.g. "/1/sales/abc/capture?amount=1000". */
  url: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface FakeReply {
  status: number;
  /** Serialised as JSON unless `raw` is given. */
  json?: unknown;
  raw?: string;
  /** Wait this long before answering (the client may have given up by then). */
  delayMs?: number;
}

export type FakeHandler = (request: RecordedRequest) => FakeReply | Promise<FakeReply>;

export interface FakeProvider {
  url: string;
  requests: RecordedRequest[];
  handle: FakeHandler;
  close(): Promise<void>;
}

export async function startFakeProvider(initial: FakeHandler = () => ({ status: 404, json: { message: 'no handler' } })): Promise<FakeProvider> {
  const fake: FakeProvider = { url: '', requests: [], handle: initial, close: async () => undefined };
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = req.url ?? '/';
      const parsed = new URL(url, 'http://127.0.0.1');
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url,
        path: parsed.pathname,
        query: parsed.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      fake.requests.push(recorded);
      void Promise.resolve(fake.handle(recorded)).then((reply) => {
        const send = () => {
          if (res.destroyed) return;
          const body = reply.raw ?? (reply.json === undefined ? '' : JSON.stringify(reply.json));
          res.writeHead(reply.status, { 'content-type': 'application/json' });
          res.end(body);
        };
        if (!reply.delayMs) return send();
        const timer = setTimeout(() => {
          timers.delete(timer);
          send();
        }, reply.delayMs);
        timers.add(timer);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake provider did not get a TCP port');
  fake.url = `http://127.0.0.1:${address.port}`;
  fake.close = async () => {
    for (const t of timers) clearTimeout(t);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return fake;
}
