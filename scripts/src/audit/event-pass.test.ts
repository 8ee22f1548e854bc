import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { zipOf } from '../../test/zip-writer';
import { ExportFormatError } from '../audit-chain/export-format-error';
import { loadPackagePolicy } from '../policy/package-policy';
import { PROJECT_ROOT } from '../project-root';
import { EXPORT_FILES } from '../seed/export-layout';
import { SAMPLE_HMAC_KEY, seedToFolder } from '../seed/seed-command';
import { openExport } from './audit-source';
import { DeferredProbes } from './deferred-probes';
import {
  EventTotals,
  EventWorker,
  EventWorkerData,
  EventWorkerMessage,
  eventWorkerLikely,
  eventWorkerWanted,
  exportBytes,
  readEvents,
  startEventWorker,
  WORKER_MIN_EVENT_BYTES,
  workerExecArgv
} from './event-pass';
import * as eventPass from './event-pass';
import { serveEventWorker } from './event-worker';
import { EVENT_WORKER_TSX_ENTRY, eventWorkerScript } from './event-worker-script';
import { auditExportFolder, AuditOptions, AuditResult, auditSource } from './export-auditor';

const made: string[] = [];
const tmp = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-event-pass-'));
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});
const NOW = '2026-06-01T12:00:00.000Z';

const KEYS = { hmacKey: SAMPLE_HMAC_KEY };
const options = (joinMemoryLimit?: number): AuditOptions => ({
  policy: loadPackagePolicy(PROJECT_ROOT),
  now: NOW,
  slaDays: 7,
  keys: KEYS,
  ...(joinMemoryLimit ? { joinMemoryLimit } : {})
});

/** Runs `body` with SDG_AUDIT_WORKER set as given (unset for undefined), then restores it. */
async function withWorkerEnv<T>(value: string | undefined, body: () => T | Promise<T>) {
  const before = process.env.SDG_AUDIT_WORKER;
  if (value === undefined) delete process.env.SDG_AUDIT_WORKER;
  else process.env.SDG_AUDIT_WORKER = value;
  try {
    return await body();
  } finally {
    if (before === undefined) delete process.env.SDG_AUDIT_WORKER;
    else process.env.SDG_AUDIT_WORKER = before;
  }
}

/** Runs the audit with the chain verified in process (0) or in a worker thread (1). */
async function audit(dir: string, worker: '0' | '1', joinMemoryLimit?: number) {
  let workerCpu: number | null = null;
  const result = await withWorkerEnv(worker, () =>
    auditExportFolder(dir, {
      ...options(joinMemoryLimit),
      onEventWorker: ({ cpuSeconds }) => (workerCpu = cpuSeconds)
    })
  );
  const same: AuditResult = { ...result, generatedAt: '' };
  return { result: same, workerCpu };
}

/** A copy of the seeded export's top-level files (a test then breaks one). */
function copyOf(dir: string): string {
  const copy = tmp();
  for (const name of fs.readdirSync(dir))
    if (fs.statSync(path.join(dir, name)).isFile())
      fs.copyFileSync(path.join(dir, name), path.join(copy, name));
  return copy;
}

/** A script standing in for the worker: what the main thread does when a worker dies. */
function dyingScript(body: string): string {
  const file = path.join(tmp(), 'worker.cjs');
  fs.writeFileSync(file, body);
  return file;
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
    const broken = copyOf(dir);
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
    const broken = copyOf(dir);
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

  it('gives the same result on a Data Export set folder, sizing its events from the zip entries', async () => {
    const set = tmp();
    const files = fs.readdirSync(dir).filter((n) => fs.statSync(path.join(dir, n)).isFile());
    const entry = (n: string): [string, Buffer] => [n, fs.readFileSync(path.join(dir, n))];
    const events = files.filter((n) => n === EXPORT_FILES.auditEvents);
    const rest = files.filter((n) => n !== EXPORT_FILES.auditEvents);
    fs.writeFileSync(path.join(set, 'WE_00D5g000004XyZ1_1.ZIP'), zipOf(events.map(entry)));
    fs.writeFileSync(path.join(set, 'WE_00D5g000004XyZ1_2.ZIP'), zipOf(rest.map(entry)));
    const source = await openExport(set);
    try {
      // The folder's own size (a directory entry) would never choose the worker.
      expect(source.eventBytes).toBe(fs.statSync(path.join(dir, EXPORT_FILES.auditEvents)).size);
    } finally {
      source.close();
    }
    expect(exportBytes(set)).toBe(
      fs.statSync(path.join(set, 'WE_00D5g000004XyZ1_1.ZIP')).size +
        fs.statSync(path.join(set, 'WE_00D5g000004XyZ1_2.ZIP')).size
    );
    const inProcess = await audit(set, '0');
    const threaded = await audit(set, '1');
    expect(threaded.workerCpu).toEqual(expect.any(Number));
    expect(threaded.result).toEqual(inProcess.result);
  }, 60_000);

  it('uses a worker only when forced or for enough events on more than one core', async () => {
    const cores = jest.spyOn(os, 'availableParallelism');
    try {
      await withWorkerEnv(undefined, () => {
        cores.mockReturnValue(2);
        expect(eventWorkerWanted(WORKER_MIN_EVENT_BYTES - 1)).toBe(false); // cheaper in process
        expect(eventWorkerWanted(WORKER_MIN_EVENT_BYTES)).toBe(true);
        expect(eventWorkerLikely(dir)).toBe(false); // the whole seeded export is small
        const big = tmp();
        fs.writeFileSync(path.join(big, 'e.csv'), '');
        fs.truncateSync(path.join(big, 'e.csv'), WORKER_MIN_EVENT_BYTES);
        expect(eventWorkerLikely(big)).toBe(true);
        expect(eventWorkerLikely(path.join(big, 'e.csv'))).toBe(true);
        expect(eventWorkerLikely(path.join(big, 'missing'))).toBe(false);
        cores.mockReturnValue(1);
        expect(eventWorkerWanted(WORKER_MIN_EVENT_BYTES)).toBe(false);
        expect(eventWorkerLikely(big)).toBe(false);
      });
      await withWorkerEnv('1', () => {
        expect(eventWorkerWanted(0)).toBe(true);
        expect(eventWorkerLikely(dir)).toBe(true);
      });
      await withWorkerEnv('0', () => {
        cores.mockReturnValue(2);
        expect(eventWorkerWanted(WORKER_MIN_EVENT_BYTES)).toBe(false);
        expect(eventWorkerLikely(dir)).toBe(false);
      });
    } finally {
      cores.mockRestore();
    }
  });

  it('starts the worker after the inventory when only the inventory shows enough events (a zip)', async () => {
    const likely = jest.spyOn(eventPass, 'eventWorkerLikely').mockReturnValue(false);
    try {
      const threaded = await audit(dir, '1');
      expect(likely).toHaveBeenCalled();
      expect(threaded.workerCpu).toEqual(expect.any(Number));
      expect(threaded.result).toEqual((await audit(dir, '0')).result);
    } finally {
      likely.mockRestore();
    }
  }, 60_000);

  it('stops a worker started before the inventory when the events do not repay it', async () => {
    // Forced on for the early start, off once the inventory is read: the run is in process.
    const wanted = jest.spyOn(os, 'availableParallelism').mockReturnValue(2);
    const big = copyOf(dir);
    fs.writeFileSync(path.join(big, 'padding.bin'), '');
    fs.truncateSync(path.join(big, 'padding.bin'), WORKER_MIN_EVENT_BYTES);
    let workerCpu: number | null = null;
    try {
      const result = await withWorkerEnv(undefined, () =>
        auditExportFolder(big, {
          ...options(),
          onEventWorker: ({ cpuSeconds }) => (workerCpu = cpuSeconds)
        })
      );
      expect(workerCpu).toBeNull();
      expect(result.chain?.events).toBeGreaterThan(0);
    } finally {
      wanted.mockRestore();
    }
  }, 60_000);

  /**
   * Audits `from` beside a stand-in worker that replays the real keys and totals at chosen record
   * batches (the record audit polls failure() once per batch), so no thread timing decides the
   * path taken. Returns the result and, per poll, how many probes had waited and been handed over.
   */
  async function auditWithStandIn(
    from: string,
    limit: number | undefined,
    when: (batches: number) => { keysAt: number; doneAt: number }
  ) {
    const events: [string, string][] = [];
    const eventSource = await openExport(from);
    const totals = await readEvents(eventSource.eventBatches()!, KEYS, (id, entry) =>
      events.push([id, entry])
    );
    eventSource.close();
    let batches = 0;
    const counting = await openExport(from);
    for await (const batch of counting.rowBatches()) if (batch.length) batches++;
    counting.close();
    const { keysAt, doneAt } = when(batches);
    let polls = 0;
    let onKey: ((id: string, entry: string) => void) | null = null;
    let finish: (totals: EventTotals) => void = () => {};
    const waited = jest.spyOn(DeferredProbes.prototype, 'add');
    const drain = jest.spyOn(DeferredProbes.prototype, 'drain');
    const seen: { waited: number; drained: number }[] = [];
    const stand: EventWorker = {
      attach: (handler) => (onKey = handler),
      done: new Promise<EventTotals>((resolve) => (finish = resolve)),
      failure: () => {
        seen.push({ waited: waited.mock.calls.length, drained: drain.mock.calls.length });
        if (++polls === keysAt) for (const [id, entry] of events) onKey!(id, entry);
        if (polls === doneAt) finish({ ...totals, workerCpuSeconds: 0 });
        return null;
      },
      stop: async () => {}
    };
    const source = await openExport(from);
    try {
      const result = await auditSource(source, options(limit), { worker: stand });
      return { result: { ...result, generatedAt: '' }, seen, keysAt, doneAt, events, batches };
    } finally {
      source.close();
      drain.mockRestore();
      waited.mockRestore();
    }
  }

  it('hands probes waiting on the worker over to a join that spills mid-run, as reading the events first would', async () => {
    const limit = 50;
    const run = await auditWithStandIn(dir, limit, (batches) => ({
      keysAt: Math.ceil(batches / 2) + 1,
      // Done only at the last batch: the join's spill, not the end of the events, hands over.
      doneAt: batches
    }));
    expect(run.events.length).toBeGreaterThan(limit);
    expect(run.keysAt).toBeLessThan(run.batches);
    // Probes waited until the keys came (and the join spilled), and were handed over once, in
    // the batch that followed, not at the end.
    expect(run.seen[run.keysAt - 1]).toEqual({ waited: expect.any(Number), drained: 0 });
    expect(run.seen[run.keysAt - 1]!.waited).toBeGreaterThan(0);
    expect(run.seen[run.keysAt]!.drained).toBe(1);
    expect(run.seen.at(-1)!.drained).toBe(1);
    expect(run.result).toEqual((await audit(dir, '0', limit)).result);
  }, 60_000);

  it.each([
    ['a chain', () => dir],
    [
      'a chain of no events',
      () => {
        const empty = copyOf(dir);
        const events = path.join(empty, EXPORT_FILES.auditEvents);
        fs.writeFileSync(events, `${fs.readFileSync(events, 'utf8').split('\n')[0]}\n`);
        return empty;
      }
    ]
  ])(
    'answers the waiting probes once the worker is done, and later records at once (%s)',
    async (_name, exportOf) => {
      const from = exportOf();
      const run = await auditWithStandIn(from, undefined, () => ({ keysAt: 2, doneAt: 2 }));
      expect(run.batches).toBeGreaterThan(4);
      // Handed over at the batch after the worker was done (poll 3); none waited after that.
      expect(run.seen[2]!.waited).toBeGreaterThan(0);
      expect(run.seen[2]!.drained).toBe(0);
      expect(run.seen[3]!.drained).toBe(1);
      expect(run.seen.at(-1)).toEqual(run.seen[3]);
      expect(run.result).toEqual((await audit(from, '0')).result);
    },
    60_000
  );

  it('fails, saying to run without the worker, when the worker runs out of memory', async () => {
    const worker = startEventWorker(dir, {}, KEYS, {
      heapMb: 8,
      script: dyingScript(
        'const hoard = []; for (;;) hoard.push(new Array(1e5).fill(hoard.length));'
      )
    });
    await expect(worker.done).rejects.toThrow(
      'The audit event worker needed more than its 8 MB heap (an event far larger than usual?). Run the audit again with SDG_AUDIT_WORKER=0 to verify the chain in the main thread.'
    );
    expect(worker.failure()?.message).toMatch(/SDG_AUDIT_WORKER=0/);
    await worker.stop();
  }, 60_000);

  it('never reports a passed chain, nor hangs, when the worker dies mid-run', async () => {
    const source = await openExport(dir);
    const worker = startEventWorker(dir, {}, KEYS, {
      script: dyingScript('setTimeout(() => process.exit(3), 50);')
    });
    try {
      await expect(auditSource(source, options(), { worker })).rejects.toThrow(
        /The audit event worker stopped \(exit code 3\) before the chain was verified\. Run the audit again with SDG_AUDIT_WORKER=0/
      );
    } finally {
      source.close();
    }
  }, 60_000);

  it('reports an unexpected worker error with its message', async () => {
    const worker = startEventWorker(dir, {}, KEYS, {
      script: dyingScript('throw new TypeError("boom in the worker");')
    });
    await expect(worker.done).rejects.toThrow('boom in the worker');
  }, 60_000);

  it('serves the event pass over a port: the keys in chain order, then the totals', async () => {
    const expected: [string, string][] = [];
    const eventSource = await openExport(dir);
    const totals = await readEvents(eventSource.eventBatches()!, KEYS, (id, entry) =>
      expected.push([id, entry])
    );
    eventSource.close();
    const serve = async (data: EventWorkerData) => {
      const { port1, port2 } = new MessageChannel();
      const keys: [string, string][] = [];
      const messages: EventWorkerMessage[] = [];
      port2.on('message', (message: EventWorkerMessage) => {
        messages.push(message);
        if (message.kind !== 'keys') return;
        for (let k = 0, at = 0; k + 1 < message.ends.length; k += 2) {
          keys.push([
            message.text.slice(at, message.ends[k]),
            message.text.slice(message.ends[k], message.ends[k + 1])
          ]);
          at = message.ends[k + 1]!;
        }
        port2.postMessage('ack');
      });
      await serveEventWorker(port1, data);
      await new Promise((resolve) => setImmediate(resolve));
      port1.close();
      port2.close();
      return { keys, last: messages.at(-1) };
    };
    const served = await serve({
      kind: 'sdg-event-worker',
      from: dir,
      exportOptions: {},
      hmacKey: new Uint8Array(SAMPLE_HMAC_KEY)
    });
    expect(served.keys).toEqual(expected);
    expect(served.last).toEqual({
      kind: 'done',
      chain: totals.chain,
      eventObjects: [...totals.eventObjects],
      rows: totals.rows,
      cpuSeconds: expect.any(Number)
    });
    const missing = await serve({
      kind: 'sdg-event-worker',
      from: path.join(dir, 'no-such-export'),
      exportOptions: {}
    });
    expect(missing.last).toMatchObject({ kind: 'error', format: true });
    const noEvents = tmp();
    fs.copyFileSync(path.join(dir, 'Lead.csv'), path.join(noEvents, 'Lead.csv'));
    const without = await serve({ kind: 'sdg-event-worker', from: noEvents, exportOptions: {} });
    expect(without.last).toMatchObject({
      kind: 'error',
      format: false,
      message: 'The export has no audit event file to verify.'
    });
  }, 60_000);
});

describe('the event worker start-up', () => {
  it('traces each phase on stderr only with SDG_AUDIT_TRACE=1', () => {
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const before = process.env.SDG_AUDIT_TRACE;
    try {
      delete process.env.SDG_AUDIT_TRACE;
      eventPass.tracePhase('records: read');
      expect(write).not.toHaveBeenCalled();
      process.env.SDG_AUDIT_TRACE = '1';
      eventPass.tracePhase('records: read');
      expect(write).toHaveBeenCalledWith(
        expect.stringMatching(/^sdg-trace \d+\.\d main \d+\.\d{3} records: read\n$/)
      );
    } finally {
      write.mockRestore();
      if (before === undefined) delete process.env.SDG_AUDIT_TRACE;
      else process.env.SDG_AUDIT_TRACE = before;
    }
  });

  it('passes the main thread its Node options but not its preloads', () => {
    expect(
      workerExecArgv([
        '--import',
        'tsx',
        '--enable-source-maps',
        '--require=./hook.cjs',
        '-r',
        'x',
        '--loader',
        'y',
        '--experimental-loader=z',
        '--no-warnings'
      ])
    ).toEqual(['--enable-source-maps', '--no-warnings']);
  });

  it('runs one cached bundle of the worker, rebuilt only when a module of it changes', () => {
    const cacheDir = path.join(tmp(), 'cache');
    const bundle = eventWorkerScript({ cacheDir });
    expect(bundle).toMatch(/event-worker-[0-9a-f]{64}\.cjs$/);
    expect(fs.readFileSync(bundle, 'utf8')).toContain('sdg-event-worker');
    const built = fs.statSync(bundle).mtimeMs;
    expect(eventWorkerScript({ cacheDir })).toBe(bundle); // fresh: reused as it is
    expect(fs.statSync(bundle).mtimeMs).toBe(built);
    // An edited module changes the digest: the recorded one no longer matches, so it is built
    // again (here: the manifest's digest stands in for the edit) and the old bundle removed.
    const manifest = fs.readdirSync(cacheDir).find((n) => n.endsWith('.json'))!;
    const recorded = JSON.parse(fs.readFileSync(path.join(cacheDir, manifest), 'utf8')) as {
      digest: string;
    };
    fs.writeFileSync(
      path.join(cacheDir, manifest),
      JSON.stringify({ ...recorded, digest: '0'.repeat(64) })
    );
    fs.renameSync(bundle, path.join(cacheDir, `event-worker-${'0'.repeat(64)}.cjs`));
    expect(eventWorkerScript({ cacheDir })).toBe(bundle);
    expect(fs.existsSync(path.join(cacheDir, `event-worker-${'0'.repeat(64)}.cjs`))).toBe(false);
  }, 60_000);

  it('falls back to the tsx entry when no bundle can be written', () => {
    const file = path.join(tmp(), 'a-file');
    fs.writeFileSync(file, '');
    expect(eventWorkerScript({ cacheDir: path.join(file, 'cache') })).toBe(EVENT_WORKER_TSX_ENTRY);
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
