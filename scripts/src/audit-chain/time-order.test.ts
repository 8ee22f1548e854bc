import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { seedToFolder, SAMPLE_HMAC_KEY } from '../seed/seed-command';
import { EXPORT_FILES } from '../seed/export-layout';
import { AuditEvent, eventHash, GENESIS_HASH } from './canonical';
import { generateChain } from './chain-generator';
import { ChainVerifier, TIME_TOLERANCE_SECONDS } from './chain-verifier';
import { COLUMNS } from './export-reader';
import { runVerifyChain, verifyChainFile } from './verify-chain-command';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-time-order-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A valid chain of `count` events whose times are moved by `shift` (ms per sequence), re-linked. */
function chainWithTimes(count: number, shift: (sequence: number) => number): AuditEvent[] {
  let previousHash = GENESIS_HASH;
  return [...generateChain(count, Buffer.from('k'), 100_000)].map((event) => {
    const moved = {
      ...event,
      previousHash,
      occurredAt: new Date(Date.parse(event.occurredAt) + shift(event.sequence)).toISOString()
    };
    const linked = { ...moved, hash: eventHash(moved) };
    previousHash = linked.hash;
    return linked;
  });
}

function verify(events: AuditEvent[]) {
  const verifier = new ChainVerifier();
  events.forEach((e) => verifier.push(e));
  return verifier.finish();
}

function capture() {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l: string) => stdout.push(l), err: (l: string) => stderr.push(l) };
}

describe('verify-chain: event times running backwards', () => {
  it('reports times that go back beyond the tolerance as the sequence grows, hashes intact', () => {
    // Event 6 is stamped 10 minutes early: it goes back against event 5.
    const report = verify(chainWithTimes(10, (s) => (s === 6 ? -600_000 : 0)));
    expect(report.intact).toBe(true);
    expect(report.timeOrder).toEqual({
      toleranceSeconds: TIME_TOLERANCE_SECONDS,
      reversals: 1,
      examples: [
        {
          sequence: 6,
          occurredAt: '2026-05-31T23:50:06.000Z',
          previousOccurredAt: '2026-06-01T00:00:05.000Z',
          backwardsSeconds: 599
        }
      ]
    });
  });

  it('forgives clock skew within the tolerance', () => {
    const report = verify(chainWithTimes(10, (s) => (s === 6 ? -30_000 : 0)));
    expect(report.timeOrder.reversals).toBe(0);
  });

  it('counts every reversal and lists the first 20', () => {
    const report = verify(chainWithTimes(60, (s) => -s * 120_000));
    expect(report.timeOrder.reversals).toBe(59);
    expect(report.timeOrder.examples).toHaveLength(20);
  });

  it('exits 1 with the finding in --json and a line that says what to check', async () => {
    const file = path.join(dir, 'Synthetic_Audit_Event__c.json');
    const rows = chainWithTimes(10, (s) => (s === 6 ? -600_000 : 0)).map((event) =>
      Object.fromEntries(
        Object.entries(COLUMNS).map(([key, column]) => [column, event[key as keyof AuditEvent]])
      )
    );
    fs.writeFileSync(file, JSON.stringify(rows));
    const json = capture();
    expect(await runVerifyChain(file, { json: true }, json)).toBe(1);
    expect(JSON.parse(json.stdout.join('\n'))).toMatchObject({
      intact: true,
      timeOrder: { reversals: 1 }
    });
    const human = capture();
    expect(await runVerifyChain(file, {}, human)).toBe(1);
    expect(human.stdout.join('\n')).toMatch(
      /✖ Event times run backwards 1 time\(s\) beyond the 60 s tolerance: event 6 occurred at 2026-05-31T23:50:06\.000Z/
    );
  });

  it('finds the seeded chain in time order (times increase with the sequence)', async () => {
    const out = path.join(dir, 'seed');
    await seedToFolder(out, {
      count: 400,
      seed: 3,
      syntheticRatio: 0.5,
      now: '2026-06-01T12:00:00.000Z',
      hmacKey: SAMPLE_HMAC_KEY
    });
    const report = await verifyChainFile(path.join(out, EXPORT_FILES.auditEvents), {});
    expect(report.intact).toBe(true);
    expect(report.timeOrder.reversals).toBe(0);
  });
});
