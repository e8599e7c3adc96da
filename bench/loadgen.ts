import autocannon from 'autocannon';
import { serveIpc } from './ipc.js';
import { addLineBody, addLineTarget, checkoutBody } from './rotation.js';

/**
 * The load generator, in a process of its own: autocannon against one target per slice. It
 * keeps every response time (for percentiles pooled over slices) and checks every response
 * body while timing — reads byte for byte against the body verified identical on API and
 * floor, writes against their success marker — so a fast error is never counted as a fast
 * answer.
 */

export interface FixedRequest {
  body: string;
  headers?: Record<string, string>;
  /** The exact response body; any other counts as a mismatch. */
  expect?: string;
}

export type Generated =
  | { kind: 'addLine'; carts: string[]; skus: string[]; start: number }
  | { kind: 'checkout'; carts: string[]; start: number };

export interface SliceSpec {
  url: string;
  connections: number;
  amount: number;
  /** Cycled in order by every connection. */
  requests?: FixedRequest[];
  generated?: Generated;
  /** Writes: each response must contain this (e.g. `"userErrors":[]`) and no top-level errors. */
  mustContain?: string;
}

export interface SliceResult {
  requests: number;
  wallMs: number;
  latencies: number[];
  non2xx: number;
  errors: number;
  timeouts: number;
  mismatches: number;
  firstMismatch: string | null;
  /** Next index of a generated run: the following slice starts there, so no cart or pair is reused. */
  next: number;
}

const JSON_HEADERS = { 'content-type': 'application/json' };

function runSlice(spec: SliceSpec): Promise<SliceResult> {
  const latencies: number[] = [];
  let mismatches = 0;
  let firstMismatch: string | null = null;
  const mismatch = (body: string) => {
    mismatches += 1;
    firstMismatch ??= body.slice(0, 1000);
  };
  const checkWrite = (_status: number, body: string) => {
    if (!body.includes(spec.mustContain ?? '') || body.startsWith('{"errors"')) mismatch(body);
  };

  let next = spec.generated?.start ?? 0;
  let requests: autocannon.Request[];
  const g = spec.generated;
  if (g) {
    const body = (): string => {
      const i = next++;
      if (g.kind === 'addLine') {
        const { cart, sku } = addLineTarget(i, g.carts.length, g.skus.length);
        return addLineBody(g.carts[cart]!, g.skus[sku]!);
      }
      const token = g.carts[i];
      if (!token) throw new Error(`checkout: ran out of prepared carts at ${i}`);
      return checkoutBody(token);
    };
    requests = [{ method: 'POST', headers: JSON_HEADERS, setupRequest: (req) => ({ ...req, body: body() }), onResponse: checkWrite }];
  } else {
    requests = (spec.requests ?? []).map((r) => ({
      method: 'POST',
      headers: { ...JSON_HEADERS, ...r.headers },
      body: r.body,
      onResponse: (_status: number, body: string) => {
        if (r.expect !== undefined ? body !== r.expect : !body.includes(spec.mustContain ?? '')) mismatch(body);
      },
    }));
  }

  return new Promise((resolve, reject) => {
    // Wall time from the start to the last answer: autocannon notices the end of an `amount`
    // run only at its next sampling tick (every second), which is not the target's time.
    const started = performance.now();
    let lastAnswer = started;
    const instance = autocannon(
      { url: spec.url, connections: spec.connections, amount: spec.amount, requests, timeout: 60 },
      (err, result) => {
        if (err) return reject(err);
        resolve({
          requests: latencies.length,
          wallMs: lastAnswer - started,
          latencies,
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          mismatches,
          firstMismatch,
          next,
        });
      },
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      latencies.push(responseTime);
      lastAnswer = performance.now();
    });
  });
}

serveIpc(
  {
    run: (spec: SliceSpec) => runSlice(spec),
    stop: () => {
      setTimeout(() => process.exit(0), 10);
    },
  },
  {},
);
