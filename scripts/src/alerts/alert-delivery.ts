import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** How a delivery retries (the in-org Queueable + Finalizer follow the same rules). */
export interface DeliveryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** Backoff before attempt n+1: base × 2^(n-1), at most maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the delivery gives up and says so. */
  maxRetryAfterMs: number;
  /** Each attempt's time limit. */
  timeoutMs: number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
}

export const DEFAULT_DELIVERY: DeliveryPolicy = {
  attempts: 5,
  baseDelayMs: 1000,
  maxDelayMs: 60_000,
  maxRetryAfterMs: 300_000,
  timeoutMs: 5000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => Date.now()
};

/** What to send. `secret` (whsec_…) signs it per Standard Webhooks. */
export interface DeliveryRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  secret?: string;
}

/** One attempt: the HTTP status (null when no answer came) or the error, and the wait after it. */
export interface Attempt {
  attempt: number;
  status: number | null;
  error: string | null;
  waitMs: number | null;
}

/** `--json` of `sdg alerts test`: the contract keys, plus each attempt and the webhook-id. */
export interface DeliveryOutcome {
  delivered: boolean;
  attempts: number;
  status: number | null;
  tries: Attempt[];
  webhookId: string;
}

/** Statuses worth another attempt: the receiver was busy or failed, not the request. */
const RETRYABLE = (status: number) => status === 408 || status === 429 || status >= 500;

/** Retry-After as milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterMs(header: string | null, now: number): number | null {
  if (!header) return null;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * Delivers one request: up to `attempts` tries, exponential backoff, Retry-After honoured on 429
 * and 503, a time limit per attempt, and one webhook-id for every try of this delivery (receivers
 * deduplicate by it), re-signed with each try's timestamp.
 */
export async function deliver(
  request: DeliveryRequest,
  policy: DeliveryPolicy = DEFAULT_DELIVERY
): Promise<DeliveryOutcome> {
  const webhookId = `msg_${randomUUID().replace(/-/g, '')}`;
  const signer = request.secret ? new Webhook(request.secret) : null;
  const tries: Attempt[] = [];
  const done = (delivered: boolean): DeliveryOutcome => ({
    delivered,
    attempts: tries.length,
    status: tries.at(-1)?.status ?? null,
    tries,
    webhookId
  });
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'User-Agent': 'SyntheticDataGuard-Alerts/1',
      ...request.headers
    };
    if (signer) {
      const at = new Date(Math.floor(policy.now() / 1000) * 1000);
      headers['webhook-id'] = webhookId;
      headers['webhook-timestamp'] = String(at.getTime() / 1000);
      headers['webhook-signature'] = signer.sign(webhookId, at, request.body);
    }
    const tried: Attempt = { attempt, status: null, error: null, waitMs: null };
    tries.push(tried);
    let retryAfter: number | null = null;
    try {
      const response = await fetch(request.url, {
        method: 'POST',
        headers,
        body: request.body,
        signal: AbortSignal.timeout(policy.timeoutMs)
      });
      tried.status = response.status;
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return done(true);
      if (!RETRYABLE(response.status)) {
        tried.error = `HTTP ${response.status} ${response.statusText}: the receiver refused the request; retrying would not help`;
        return done(false);
      }
      tried.error = `HTTP ${response.status} ${response.statusText}`;
      retryAfter = retryAfterMs(response.headers.get('retry-after'), policy.now());
    } catch (error) {
      const e = error as Error & { cause?: { code?: string } };
      tried.error =
        e.name === 'TimeoutError'
          ? `no answer within ${policy.timeoutMs / 1000} s`
          : `cannot reach ${new URL(request.url).host} (${e.cause?.code ?? e.message})`;
    }
    if (attempt === policy.attempts) break;
    if (retryAfter !== null && retryAfter > policy.maxRetryAfterMs) {
      tried.error += `; asked to wait ${retryAfter / 1000} s (Retry-After), longer than ${policy.maxRetryAfterMs / 1000} s`;
      break;
    }
    tried.waitMs =
      retryAfter ?? Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs);
    await policy.sleep(tried.waitMs);
  }
  return done(false);
}
