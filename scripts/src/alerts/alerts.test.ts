import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { captureIo } from '../../test/capture-io';
import { runCli } from '../cli/program';
import { PROJECT_ROOT } from '../project-root';
import type { Alert } from './alert';
import { Channel, CHANNELS, payloadFor, PayloadOptions } from './alert-payload';
import { retryAfterMs, DeliveryOutcome, DeliveryPolicy } from './alert-delivery';
import { runAlertsTest, AlertsTestOptions } from './alerts-command';

const SECRET = `whsec_${Buffer.from('synthetic-data-guard-alert-test-key!!').toString('base64')}`;

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  verified: boolean;
}

/**
 * A receiver on 127.0.0.1 that verifies each Standard Webhooks signature with the reference
 * library, answers the scripted statuses in turn (then 200), and keeps what it got.
 */
async function receiver(
  script: { status: number; headers?: Record<string, string>; hang?: boolean }[]
) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let verified = false;
      try {
        new Webhook(SECRET).verify(body, req.headers as Record<string, string>);
        verified = true;
      } catch {
        verified = false;
      }
      received.push({ headers: req.headers, body, verified });
      const next = script[received.length - 1] ?? { status: 200 };
      if (next.hang) return;
      res.writeHead(next.status, next.headers);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/sdg`;
  return {
    url,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      })
  };
}

let dir: string;
const waits: number[] = [];
const policy: DeliveryPolicy = {
  attempts: 5,
  baseDelayMs: 1000,
  maxDelayMs: 60_000,
  maxRetryAfterMs: 300_000,
  timeoutMs: 200,
  sleep: (ms) => {
    waits.push(ms);
    return Promise.resolve();
  },
  now: () => Date.now()
};

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-alerts-'));
  fs.writeFileSync(path.join(dir, 'secret'), `${SECRET}\n`);
  fs.writeFileSync(path.join(dir, 'routing-key'), 'R0UT1NGKEY0000000000000000000000\n');
  waits.length = 0;
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function test(options: AlertsTestOptions) {
  const { io, out, err } = captureIo();
  const code = await runAlertsTest(options, io, policy);
  const text = out.join('\n');
  return {
    code,
    out: text,
    err: err.join('\n'),
    json: options.json ? (JSON.parse(text) as DeliveryOutcome) : null
  };
}

describe('sdg alerts test', () => {
  it('delivers a verifiably signed webhook through two failures, with one webhook-id', async () => {
    const hook = await receiver([
      { status: 503 },
      { status: 429, headers: { 'Retry-After': '2' } }
    ]);
    try {
      const { code, json } = await test({
        channel: 'webhook',
        url: hook.url,
        secretFile: path.join(dir, 'secret'),
        json: true
      });
      expect(code).toBe(0);
      expect(json).toMatchObject({ delivered: true, attempts: 3, status: 200 });
      expect(hook.received).toHaveLength(3);
      expect(hook.received.every((r) => r.verified)).toBe(true);
      const ids = new Set(hook.received.map((r) => r.headers['webhook-id']));
      expect([...ids]).toEqual([json!.webhookId]);
      expect(waits).toEqual([1000, 2000]);
      const event = JSON.parse(hook.received[2]!.body) as {
        type: string;
        data: { severity: string };
      };
      expect(event.type).toBe('synthetic_data.alert.triggered');
      expect(event.data.severity).toBe('critical');
    } finally {
      await hook.close();
    }
  });

  it('gives up after five attempts and prints each one (exit 1)', async () => {
    const hook = await receiver(Array.from({ length: 5 }, () => ({ status: 500 })));
    try {
      const { code, out, err } = await test({
        channel: 'webhook',
        url: hook.url,
        secretFile: path.join(dir, 'secret')
      });
      expect(code).toBe(1);
      expect(out.split('\n').filter((l) => l.startsWith('Attempt'))).toHaveLength(5);
      expect(out).toContain('Attempt 1: HTTP 500 (HTTP 500 Internal Server Error); next in 1 s');
      expect(waits).toEqual([1000, 2000, 4000, 8000]);
      expect(err).toMatch(/Gave up after 5 attempt\(s\)/);
    } finally {
      await hook.close();
    }
  });

  it('times out a receiver that does not answer, then retries', async () => {
    const hook = await receiver([{ status: 200, hang: true }]);
    try {
      const { code, json } = await test({
        channel: 'slack',
        url: hook.url,
        json: true
      });
      expect(code).toBe(0);
      expect(json!.tries[0]).toMatchObject({ status: null, error: 'no answer within 0.2 s' });
      expect(json!.attempts).toBe(2);
    } finally {
      await hook.close();
    }
  });

  it('does not retry a request the receiver refuses (4xx other than 408 and 429)', async () => {
    const hook = await receiver([{ status: 400 }]);
    try {
      const { code, json } = await test({
        channel: 'pagerduty',
        url: hook.url,
        routingKeyFile: path.join(dir, 'routing-key'),
        json: true
      });
      expect(code).toBe(1);
      expect(json).toMatchObject({ delivered: false, attempts: 1, status: 400 });
      const sent = JSON.parse(hook.received[0]!.body) as Record<string, unknown>;
      expect(sent).toMatchObject({
        routing_key: 'R0UT1NGKEY0000000000000000000000',
        event_action: 'trigger'
      });
      expect(hook.received[0]!.headers['webhook-signature']).toBeUndefined();
    } finally {
      await hook.close();
    }
  });

  it('sends ServiceNow its credential and Teams an Adaptive Card', async () => {
    const hook = await receiver([]);
    fs.writeFileSync(path.join(dir, 'snow'), 'sdg.integration:s3cret');
    try {
      expect(
        (await test({ channel: 'servicenow', url: hook.url, secretFile: path.join(dir, 'snow') }))
          .code
      ).toBe(0);
      expect(hook.received[0]!.headers.authorization).toBe(
        `Basic ${Buffer.from('sdg.integration:s3cret').toString('base64')}`
      );
      expect((await test({ channel: 'teams', url: hook.url })).code).toBe(0);
      expect(JSON.parse(hook.received[1]!.body)).toMatchObject({ type: 'message' });
    } finally {
      await hook.close();
    }
  });

  it.each([
    [{ channel: 'fax', url: 'http://x' }, /--channel must be one of pagerduty/],
    [{ channel: 'slack', url: 'not a url' }, /--url must be the channel's http\(s\) endpoint/],
    [{ channel: 'slack', url: 'ftp://x' }, /--url must be http\(s\)/],
    [{ channel: 'webhook', url: 'http://x' }, /needs its endpoint secret: --secret-file/],
    [{ channel: 'pagerduty', url: 'http://x' }, /routing key: --routing-key-file/],
    [{ channel: 'webhook', url: 'http://x', secretFile: '/nonexistent/secret' }, /cannot read it/]
  ])('exits 2 on bad input %#', async (options, message) => {
    const { code, err } = await test(options);
    expect(code).toBe(2);
    expect(err).toMatch(message);
  });

  it('exits 2 on a secret that is not a Standard Webhooks secret', async () => {
    fs.writeFileSync(path.join(dir, 'short'), 'whsec_c2hvcnQ=');
    const { code, err } = await test({
      channel: 'webhook',
      url: 'http://127.0.0.1:9/',
      secretFile: path.join(dir, 'short')
    });
    expect(code).toBe(2);
    expect(err).toMatch(/24 to 64 random bytes/);
  });

  it('is on the command line', async () => {
    const { io, err } = captureIo();
    expect(await runCli(['alerts', 'test', '--channel', 'fax', '--url', 'http://x'], io)).toBe(2);
    expect(err.join('\n')).toMatch(/--channel must be one of/);
  });
});

describe('Retry-After', () => {
  it('reads delta-seconds and HTTP dates', () => {
    const now = Date.parse('2026-11-23T10:00:00Z');
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('Mon, 23 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs(null, now)).toBeNull();
  });
});

describe('shared alert payload vectors (Apex AlertPayloadTest runs the same file)', () => {
  const file = JSON.parse(
    fs.readFileSync(
      path.join(PROJECT_ROOT, 'force-app/test/alerts/staticresources/AlertPayloadVectors.json'),
      'utf8'
    )
  ) as {
    vectors: {
      name: string;
      channel: Channel;
      alert: Alert;
      options: PayloadOptions;
      expected: unknown;
    }[];
  };

  it.each(file.vectors.map((v) => [v.name, v] as const))('%s', (_name, vector) => {
    expect(payloadFor(vector.channel, vector.alert, vector.options)).toEqual(vector.expected);
  });

  it('writes the org and PagerDuty words whichever scale the alert is in (high = error, medium = warning, low = warning)', () => {
    const vector = file.vectors.find(
      (v) => v.channel === 'pagerduty' && v.alert.action === 'trigger'
    )!;
    const sent = (severity: string) =>
      (
        payloadFor('pagerduty', { ...vector.alert, severity } as Alert, vector.options) as {
          payload: { severity: string };
        }
      ).payload.severity;
    expect(['critical', 'high', 'medium', 'low', 'info'].map(sent)).toEqual([
      'critical',
      'error',
      'warning',
      'warning',
      'info'
    ]);
    expect(['error', 'warning'].map(sent)).toEqual(['error', 'warning']);
  });

  it('covers every channel, a trigger and a resolve', () => {
    expect(new Set(file.vectors.map((v) => v.channel))).toEqual(new Set(CHANNELS));
    expect(new Set(file.vectors.map((v) => v.alert.action))).toEqual(
      new Set(['trigger', 'resolve'])
    );
  });
});
