import { TransferUncertainError } from './transfer.provider.js';

/** The slice of `fetch` the adapters use; tests may pass their own. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface TransferHttpResponse {
  status: number;
  /** Parsed JSON, or undefined for an empty or non-JSON body. */
  json: unknown;
}

/**
 * One HTTP exchange with a transfer provider, bounded by `timeoutMs` until the last byte.
 * A timeout, a failed connection, 5xx or 429 is TransferUncertainError: the request may have
 * been acted on, so the caller looks the transfer up instead of sending it again. Other
 * statuses come back for the adapter to read (4xx bodies carry the provider's reasons).
 */
export async function transferRequest(req: {
  provider: string;
  operation: string;
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  fetch?: FetchLike;
}): Promise<TransferHttpResponse> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), req.timeoutMs);
  const doFetch: FetchLike = req.fetch ?? ((input, init) => fetch(input, init));
  try {
    let response: Response;
    let text: string;
    try {
      response = await doFetch(req.url, { method: req.method, headers: req.headers, body: req.body, signal: controller.signal, redirect: 'error' });
      text = await response.text();
    } catch (error) {
      const why = controller.signal.aborted ? `no answer within ${req.timeoutMs} ms` : `failed: ${error instanceof Error ? error.message : String(error)}`;
      throw new TransferUncertainError(req.provider, `${req.provider}: ${req.operation} ${why}`, { cause: error });
    }
    if (response.status >= 500 || response.status === 429) {
      throw new TransferUncertainError(req.provider, `${req.provider}: ${req.operation} answered HTTP ${response.status}`);
    }
    let json: unknown;
    try {
      json = text.trim() ? (JSON.parse(text) as unknown) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, json };
  } finally {
    clearTimeout(timer);
  }
}
