import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ExportFormatError } from '../audit-chain/export-format-error';
import { loadPackagePolicy } from '../policy/package-policy';
import { PROJECT_ROOT } from '../project-root';
import { EXPORT_FILES } from '../seed/export-layout';
import { SAMPLE_HMAC_KEY, seedToFolder } from '../seed/seed-command';
import { DeferredProbes } from './deferred-probes';
import { eventWorkerWanted } from './event-pass';
import { auditExportFolder, AuditResult } from './export-auditor';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-event-pass-'));
const NOW = '2026-06-01T12:00:00.000Z';

/** Runs the audit with the chain verified in process (0) or in a worker thread (1). */
async function audit(dir: string, worker: '0' | '1', joinMemoryLimit?: number) {
  const before = process.env.SDG_AUDIT_WORKER;
  process.env.SDG_AUDIT_WORKER = worker;
  let workerCpu: number | null = null;
  try {
    const result = await auditExportFolder(dir, {
      policy: loadPackagePolicy(PROJECT_ROOT),
      now: NOW,
      slaDays: 7,
      keys: { hmacKey: SAMPLE_HMAC_KEY },
      ...(joinMemoryLimit ? { joinMemoryLimit } : {}),
      onEventWorker: ({ cpuSeconds }) => (workerCpu = cpuSeconds)
    });
    const same: AuditResult = { ...result, generatedAt: '' };
    return { result: same, workerCpu };
  } finally {
    if (before === undefined) delete process.env.SDG_AUDIT_WORKER;
    else process.env.SDG_AUDIT_WORKER = before;
  }
}

describe('chain verification in a worker thread beside the record audit', () => {
  const dir = tmp();
  beforeAll(async () => {
    await seedToFolder(dir, {
      count: 600,
      seed: 5,
      syntheticRatio: 0.5,
      now: NOW,
      hmacKey: SAMPLE_HMAC_KEY
    });
  }, 60_000);

  it.each([
    ['CSV', false, undefined],
    ['CSV', false, 50],
    ['tree JSON', true, 50]
  ] as const)(
    'gives the same result as reading the events first (%s; tree files: %s; join memory limit %s)',
    async (_format, tree, limit) => {
      let from = dir;
      if (tree) {
        from = tmp();
        for (const name of fs.readdirSync(path.join(dir, 'tree')))
          fs.copyFileSync(path.join(dir, 'tree', name), path.join(from, name));
        fs.copyFileSync(
          path.join(dir, EXPORT_FILES.auditEvents),
          path.join(from, EXPORT_FILES.auditEvents)
        );
      }
      const inProcess = await audit(from, '0', limit);
      const threaded = await audit(from, '1', limit);
      expect(inProcess.workerCpu).toBeNull();
      expect(threaded.workerCpu).toEqual(expect.any(Number));
      expect(threaded.result).toEqual(inProcess.result);
      expect(threaded.result.chain?.events).toBeGreaterThan(0);
      expect(threaded.result.findings.length).toBeGreaterThan(0);
    },
    60_000
  );

  it('a truncated event file fails with the same file:line error either way', async () => {
    const broken = tmp();
    for (const name of fs.readdirSync(dir))
      if (fs.statSync(path.join(dir, name)).isFile())
        fs.copyFileSync(path.join(dir, name), path.join(broken, name));
    const events = path.join(broken, EXPORT_FILES.auditEvents);
    const text = fs.readFileSync(events, 'utf8');
    fs.writeFileSync(events, text.slice(0, Math.floor(text.length / 2)));
    // A broken record file too: the events' error is the one reported, as when they are read first.
    fs.writeFileSync(path.join(broken, 'Lead.csv'), 'Id,Synthetic_Data__c\n"00Q,true\n');
    const errors = await Promise.all(
      (['0', '1'] as const).map((w) =>
        audit(broken, w).then(
          () => null,
          (e: Error) => e
        )
      )
    );
    expect(errors[0]).toBeInstanceOf(ExportFormatError);
    expect(errors[1]).toBeInstanceOf(ExportFormatError);
    expect(errors[1]?.message).toBe(errors[0]?.message);
    expect(errors[0]?.message).toMatch(/Synthetic_Audit_Event__c\.csv/);
  }, 60_000);

  it('a broken record file beside a sound chain fails with its own file:line error either way', async () => {
    const broken = tmp();
    for (const name of fs.readdirSync(dir))
      if (fs.statSync(path.join(dir, name)).isFile())
        fs.copyFileSync(path.join(dir, name), path.join(broken, name));
    const lead = path.join(broken, 'Lead.csv');
    const text = fs.readFileSync(lead, 'utf8');
    fs.writeFileSync(lead, `${text.slice(0, Math.floor(text.length / 2))}"`);
    const errors = await Promise.all(
      (['0', '1'] as const).map((w) =>
        audit(broken, w).then(
          () => null,
          (e: Error) => e
        )
      )
    );
    expect(errors[0]).toBeInstanceOf(ExportFormatError);
    expect(errors[1]?.message).toBe(errors[0]?.message);
    expect(errors[0]?.message).toMatch(/Lead\.csv:\d+/);
  }, 60_000);

  it('uses a worker only when forced or for enough events on more than one core', () => {
    const files = [
      {
        name: 'e.csv',
        rel: 'e.csv',
        where: path.join(dir, EXPORT_FILES.auditEvents),
        format: 'csv' as const,
        object: 'Synthetic_Audit_Event__c' as const,
        how: 'file name'
      }
    ];
    const before = process.env.SDG_AUDIT_WORKER;
    try {
      delete process.env.SDG_AUDIT_WORKER;
      expect(eventWorkerWanted(dir, files)).toBe(false); // a small export: cheaper in process
      process.env.SDG_AUDIT_WORKER = '1';
      expect(eventWorkerWanted(dir, files)).toBe(true);
      process.env.SDG_AUDIT_WORKER = '0';
      expect(eventWorkerWanted(dir, files)).toBe(false);
    } finally {
      if (before === undefined) delete process.env.SDG_AUDIT_WORKER;
      else process.env.SDG_AUDIT_WORKER = before;
    }
  });
});

describe('DeferredProbes', () => {
  it('drains every probe in the order added, past its in-memory bound, and cleans up', () => {
    const probes = new DeferredProbes();
    // Multi-byte text across the megabyte reads must come back whole.
    const lines = Array.from(
      { length: 60_001 },
      (_, i) => `Lead\t00Q${i}\tCréé ✓ ${'é'.repeat(i % 7)}\t`
    );
    for (const line of lines) probes.add(line);
    const drained: string[] = [];
    probes.drain((line) => drained.push(line));
    expect(drained).toEqual(lines);
    const again: string[] = [];
    probes.drain((line) => again.push(line));
    expect(again).toEqual([]);
  });
});
