import fs from 'node:fs';
import { UsageError } from '../cli/errors';
import type { CommandIo } from '../cli/io';
import { sampleAlert } from './alert';
import { DEFAULT_DELIVERY, deliver, DeliveryPolicy, DeliveryRequest } from './alert-delivery';
import { Channel, CHANNELS, payloadFor } from './alert-payload';

/** Exit codes of `sdg alerts test`: delivered, gave up, bad input. */
export const ALERTS_EXIT = { DELIVERED: 0, GAVE_UP: 1, BAD_INPUT: 2 } as const;

/** Options of `sdg alerts test`. */
export interface AlertsTestOptions {
  channel?: string;
  url?: string;
  secretFile?: string;
  routingKeyFile?: string;
  json?: boolean;
}

function readSecret(file: string, flag: string): string {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new UsageError(
      `${flag} ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`
    );
  }
  if (!text) throw new UsageError(`${flag} ${file} is empty.`);
  return text;
}

/** A Standard Webhooks secret: whsec_ + base64 of 24 to 64 random bytes. */
function webhookSecret(text: string, file: string): string {
  const key = text.startsWith('whsec_') ? text.slice('whsec_'.length) : text;
  const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(key) ? Buffer.from(key, 'base64').length : 0;
  if (bytes < 24 || bytes > 64)
    throw new UsageError(
      `${file} does not hold a Standard Webhooks secret: expected whsec_ followed by the base64 of 24 to 64 random bytes (e.g. whsec_$(openssl rand -base64 32)).`
    );
  return `whsec_${key}`;
}

/** The request a channel's test alert makes: body, auth headers, signature secret. */
export function testRequest(options: AlertsTestOptions, now: string): DeliveryRequest {
  const channel = options.channel as Channel;
  if (!CHANNELS.includes(channel))
    throw new UsageError(
      `--channel must be one of ${CHANNELS.join(', ')}${options.channel ? `, got "${options.channel}"` : ''}.`
    );
  let url: URL;
  try {
    url = new URL(options.url ?? '');
  } catch {
    throw new UsageError(
      `--url must be the channel's http(s) endpoint${options.url ? `, got "${options.url}"` : ''}.`
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new UsageError(`--url must be http(s), got "${url.protocol}".`);
  const headers: Record<string, string> = {};
  let secret: string | undefined;
  let routingKey: string | undefined;
  if (channel === 'pagerduty') {
    if (!options.routingKeyFile)
      throw new UsageError(
        'PagerDuty needs the integration routing key: --routing-key-file <file>.'
      );
    routingKey = readSecret(options.routingKeyFile, '--routing-key-file');
  }
  if (channel === 'webhook') {
    if (!options.secretFile)
      throw new UsageError(
        'A signed webhook needs its endpoint secret: --secret-file <file> (whsec_…).'
      );
    secret = webhookSecret(readSecret(options.secretFile, '--secret-file'), options.secretFile);
  }
  if (channel === 'servicenow' && options.secretFile) {
    const credential = readSecret(options.secretFile, '--secret-file');
    headers.Authorization = credential.includes(':')
      ? `Basic ${Buffer.from(credential).toString('base64')}`
      : `Bearer ${credential}`;
    headers.Accept = 'application/json';
  }
  const body = JSON.stringify(payloadFor(channel, sampleAlert(now), { routingKey }));
  return { url: url.toString(), headers, body, secret };
}

/**
 * `sdg alerts test`: sends a sample alert to one channel for real, with the delivery policy the
 * org uses, and reports each attempt.
 */
export async function runAlertsTest(
  options: AlertsTestOptions,
  io: CommandIo,
  policy: DeliveryPolicy = DEFAULT_DELIVERY
): Promise<number> {
  let request: DeliveryRequest;
  try {
    request = testRequest(options, new Date(policy.now()).toISOString());
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`✖ ${error.message}`);
    return ALERTS_EXIT.BAD_INPUT;
  }
  const outcome = await deliver(request, policy);
  if (options.json) {
    io.out(JSON.stringify(outcome, null, 2));
  } else {
    for (const t of outcome.tries)
      io.out(
        `Attempt ${t.attempt}: ${t.status === null ? 'no answer' : `HTTP ${t.status}`}${t.error && t.status !== null && t.status < 300 ? '' : t.error ? ` (${t.error})` : ''}${t.waitMs !== null ? `; next in ${t.waitMs / 1000} s` : ''}`
      );
    if (outcome.delivered)
      io.out(
        `Delivered the test alert to ${options.channel} on attempt ${outcome.attempts}${request.secret ? `, signed (webhook-id ${outcome.webhookId})` : ''}.`
      );
    else
      io.err(
        `✖ Gave up after ${outcome.attempts} attempt(s); the last: ${outcome.tries.at(-1)?.error ?? 'no answer'}.`
      );
  }
  return outcome.delivered ? ALERTS_EXIT.DELIVERED : ALERTS_EXIT.GAVE_UP;
}
