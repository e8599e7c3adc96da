import { ProviderNetworkError, ProviderTimeoutError, type ProviderName } from './payments.provider.js';

/** The slice of `fetch` the providers use; tests and callers may pass their own. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface HttpRequest {
  provider: ProviderName;
  /** For messages only, e.g. "POST /1/sales/". Never contains credentials. */
  operation: string;
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  fetch?: FetchLike;
}

export interface HttpResponse {
  status: number;
  /** Parsed JSON, or undefined for an empty/non-JSON body (then `text` has it). */
  json: unknown;
  text: string;
}

/**
 * One HTTP exchange with a provider, bounded by `timeoutMs` from the request until the last
 * byte of the body (the abort signal covers the body stream too, so a provider that sends
 * headers and then stalls still times out).
 *
 * Maps transport failures to typed errors: abort → ProviderTimeoutError; connection
 * failures, 5xx and 429 → ProviderNetworkError (retryable). Other statuses are returned for
 * the provider to interpret, because 4xx bodies carry the provider's reasons.
 */
export async function providerRequest(req: HttpRequest): Promise<HttpResponse> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), req.timeoutMs);
  const doFetch: FetchLike = req.fetch ?? ((input, init) => fetch(input, init));
  try {
    let response: Response;
    let text: string;
    try {
      response = await doFetch(req.url, {
        method: req.method,
        headers: req.headers,
        body: req.body,
        signal: controller.signal,
        redirect: 'error',
      });
      text = await response.text();
    } catch (error) {
      if (controller.signal.aborted) throw new ProviderTimeoutError(req.provider, req.timeoutMs, req.operation);
      throw new ProviderNetworkError(req.provider, `${req.provider}: ${req.operation} failed: ${describe(error)}`, undefined, { cause: error });
    }
    if (response.status >= 500 || response.status === 429) {
      throw new ProviderNetworkError(req.provider, `${req.provider}: ${req.operation} answered HTTP ${response.status}`, response.status);
    }
    return { status: response.status, json: parseJson(text), text };
  } finally {
    clearTimeout(timer);
  }
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}

/** `base` may or may not end with a slash; `path` starts with one. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`;
}
