import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isMainThread, Worker } from 'node:worker_threads';
import type { AuditEvent } from '../audit-chain/canonical';
import { ChainReport, ChainVerifier } from '../audit-chain/chain-verifier';
import { ExportFormatError } from '../audit-chain/export-format-error';
import type { VerificationKeys } from '../audit-chain/signatures';
import type { ExportSourceOptions } from './audit-source';
import { eventWorkerScript } from './event-worker-script';
import { statusEntryValue } from './status-entry';

/** What the record audit needs from the audit events once they are read. */
export interface EventTotals {
  chain: ChainReport;
  /** Events per Object_Type__c (events naming records of a missing file are a finding). */
  eventObjects: Map<string, number>;
  rows: number;
  /** CPU seconds of the worker thread, when the events were read in one. */
  workerCpuSeconds?: number;
}

/** CPU seconds of the calling thread alone (Node 22.19+), else of the whole process. */
export function threadCpuSeconds(): number {
  const own = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage;
  const used = own ? own.call(process) : process.cpuUsage();
  return (used.user + used.system) / 1e6;
}

/**
 * `SDG_AUDIT_TRACE=1` prints on stderr each phase of the audit as either thread reaches it: the
 * wall clock (ms since the epoch, comparable across threads) and the thread's CPU seconds, to see
 * where the wall time outside the busier thread's CPU goes. Off by default (no output).
 */
export function tracePhase(phase: string): void {
  if (process.env.SDG_AUDIT_TRACE !== '1') return;
  const at = (performance.timeOrigin + performance.now()).toFixed(1);
  const thread = isMainThread ? 'main' : 'worker';
  process.stderr.write(`sdg-trace ${at} ${thread} ${threadCpuSeconds().toFixed(3)} ${phase}\n`);
}

/**
 * Reads the audit events: verifies the chain and hands each record id with an event, and the
 * status entry it carries, to `onKey` (the coverage join's key side), in chain order.
 * `afterBatch` runs after each parser batch (the worker's flow control).
 */
export async function readEvents(
  batches: AsyncIterable<AuditEvent[]>,
  keys: VerificationKeys,
  onKey: (recordId: string, entry: string) => void,
  afterBatch?: () => Promise<void> | void
): Promise<EventTotals> {
  const verifier = new ChainVerifier(keys);
  const eventObjects = new Map<string, number>();
  let rows = 0;
  let first = true;
  for await (const batch of batches) {
    if (first) tracePhase('events: first batch');
    first = false;
    for (const event of batch) {
      verifier.push(event);
      if (event.recordId) onKey(event.recordId, statusEntryValue(event));
      if (event.objectType)
        eventObjects.set(event.objectType, (eventObjects.get(event.objectType) ?? 0) + 1);
      rows++;
    }
    await afterBatch?.();
  }
  tracePhase('events: read');
  return { chain: verifier.finish(), eventObjects, rows };
}

/** What the worker is given: the export to open again, and the keys as plain data. */
export interface EventWorkerData {
  /** Marks the data as an event worker's (the worker module runs only when it is). */
  kind: 'sdg-event-worker';
  from: string;
  exportOptions: ExportSourceOptions;
  certificatePem?: string;
  hmacKey?: Uint8Array;
}

/** Messages from the worker. */
export type EventWorkerMessage =
  /** Coverage keys: `text` holds id, entry, id, entry … back to back; `ends` where each ends. */
  | { kind: 'keys'; text: string; ends: Uint32Array }
  | {
      kind: 'done';
      chain: ChainReport;
      eventObjects: [string, number][];
      rows: number;
      cpuSeconds: number;
    }
  | { kind: 'error'; format: boolean; message: string; stack?: string };

/** Heap of the event worker (MB): many times what a few batches in flight need. */
export const WORKER_HEAP_MB = 256;

/**
 * Below this many bytes of events the worker costs more than it saves: besides its start-up (a
 * thread and one cached bundle, about 0.1 s of CPU) a second heap adds about a quarter to the
 * process's CPU (garbage collection on the same two cores), so on two idle cores the audit in
 * process was as fast at 218 MB of events (300k records) and faster at 73 MB (100k), and the
 * worker 10-20% faster at 728 MB (1M); docs/audit.md has the figures.
 */
export const WORKER_MIN_EVENT_BYTES = 256 * 1024 * 1024;

/** Whether a worker thread can run beside the main thread at all, or is forced either way. */
function workerAllowed(): boolean | 'forced' {
  const forced = process.env.SDG_AUDIT_WORKER;
  if (forced === '1') return 'forced';
  if (forced === '0') return false;
  return os.availableParallelism() > 1;
}

/**
 * Bytes an export may hold before its inventory is read: a file's size, or the sum of a folder's
 * files (zips of a Data Export set included). An upper bound of its audit events' bytes, cheap
 * enough (one `readdir`, a `stat` per file) to decide before the inventory whether to start the
 * worker then, so its start-up overlaps the inventory.
 */
export function exportBytes(from: string): number {
  try {
    const stat = fs.statSync(from);
    if (!stat.isDirectory()) return stat.size;
    let total = 0;
    for (const entry of fs.readdirSync(from, { withFileTypes: true }))
      if (entry.isFile()) total += fs.statSync(path.join(from, entry.name)).size;
    return total;
  } catch {
    return 0; // the inventory reports what cannot be read
  }
}

/**
 * Whether to start the event worker before the inventory: more than one core and an export large
 * enough that its events may be (SDG_AUDIT_WORKER=1|0 forces either way). The inventory then
 * decides (eventWorkerWanted); a worker started for an export with few events is stopped.
 */
export function eventWorkerLikely(from: string): boolean {
  const allowed = workerAllowed();
  return allowed === 'forced' || (allowed && exportBytes(from) >= WORKER_MIN_EVENT_BYTES);
}

/**
 * Whether the chain is verified in a worker thread beside the record audit: with more than one
 * core and enough bytes of audit events (uncompressed, as a zip's entries hold them) to repay the
 * worker's start. `SDG_AUDIT_WORKER=1|0` forces either way (tests, and measuring both).
 */
export function eventWorkerWanted(eventBytes: number): boolean {
  const allowed = workerAllowed();
  return allowed === 'forced' || (allowed && eventBytes >= WORKER_MIN_EVENT_BYTES);
}

/** The chain verification running in a worker thread (see startEventWorker). */
export interface EventWorker {
  /**
   * Hands the coverage keys to `onKey` (record id, status entry) in chain order, those that came
   * before first. Until then the worker waits once a few batches are unacknowledged.
   */
  attach(onKey: (recordId: string, entry: string) => void): void;
  /** The totals, or the worker's error (an ExportFormatError keeps its class and message). */
  readonly done: Promise<EventTotals>;
  /** The worker's error as soon as it is known (the record audit stops early on it). */
  failure(): Error | null;
  /** Stops the worker if it still runs. */
  stop(): Promise<void>;
}

/** How startEventWorker runs the worker (tests lower the heap or point at another script). */
export interface EventWorkerOptions {
  heapMb?: number;
  script?: string;
}

/**
 * The main thread's Node options a worker takes: all but its preloads (`--import tsx`, `-r …`).
 * The worker's script needs none, and each would cost its start-up (`--import` starts a loader
 * thread of its own); the tsx entry it falls back to registers tsx itself.
 */
export function workerExecArgv(argv: readonly string[] = process.execArgv): string[] {
  const preload = /^(--import|--require|-r|--loader|--experimental-loader)(=|$)/;
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const flag = preload.exec(argv[i]!);
    if (!flag) kept.push(argv[i]!);
    else if (flag[2] === '') i++; // its value is the next argument
  }
  return kept;
}

/** The out-of-memory error, said as what to do. */
export function workerOutOfMemory(heapMb: number): Error {
  return new Error(
    `The audit event worker needed more than its ${heapMb} MB heap (an event far larger than usual?). Run the audit again with SDG_AUDIT_WORKER=0 to verify the chain in the main thread.`
  );
}

/** Starts a worker thread on `script`, without the main thread's preloads where Node allows. */
function spawn(script: string, workerData: EventWorkerData, heapMb: number): Worker {
  // The heap is capped: the worker's memory is flat by design (a few batches in flight), and
  // without a cap V8 lets a second heap grow as if it were alone (about 100 MB more at 1M records).
  const resourceLimits = { maxOldGenerationSizeMb: heapMb };
  const execArgv = workerExecArgv();
  if (execArgv.length === process.execArgv.length)
    return new Worker(script, { workerData, resourceLimits });
  try {
    return new Worker(script, { workerData, resourceLimits, execArgv });
  } catch (error) {
    // Options that apply to the whole process (--max-old-space-size) are refused when given
    // explicitly, though inherited silently: inherit them, preloads and all.
    if ((error as { code?: string }).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw error;
    return new Worker(script, { workerData, resourceLimits });
  }
}

/**
 * Starts reading the export's audit events in a worker thread (before the main thread's own
 * inventory, so the worker's start-up overlaps it). Each coverage key goes to the handler given
 * to `attach`, in chain order; each batch of them is acknowledged, so the worker never runs more
 * than a few batches ahead: memory stays flat whatever the chain's length.
 */
export function startEventWorker(
  from: string,
  exportOptions: ExportSourceOptions,
  keys: VerificationKeys,
  options: EventWorkerOptions = {}
): EventWorker {
  tracePhase('worker: starting');
  const heapMb = options.heapMb ?? WORKER_HEAP_MB;
  const data: EventWorkerData = {
    kind: 'sdg-event-worker',
    from,
    exportOptions,
    ...(keys.certificate
      ? { certificatePem: keys.certificate.export({ type: 'spki', format: 'pem' }).toString() }
      : {}),
    ...(keys.hmacKey ? { hmacKey: new Uint8Array(keys.hmacKey) } : {})
  };
  const worker = spawn(options.script ?? eventWorkerScript(), data, heapMb);
  let failed: Error | null = null;
  let settled = false;
  let onKey: ((recordId: string, entry: string) => void) | null = null;
  /** Key batches that came before `attach` (a few at most: the worker waits for their acks). */
  const waiting: { text: string; ends: Uint32Array }[] = [];
  let fail: (error: Error) => void = () => {};
  const take = (batch: { text: string; ends: Uint32Array }) => {
    if (settled && failed) return;
    try {
      const { text, ends } = batch;
      for (let k = 0, at = 0; k + 1 < ends.length; k += 2) {
        const idEnd = ends[k]!;
        const entryEnd = ends[k + 1]!;
        onKey!(text.slice(at, idEnd), text.slice(idEnd, entryEnd));
        at = entryEnd;
      }
    } catch (error) {
      fail(error as Error);
      return;
    }
    worker.postMessage('ack');
  };
  const done = new Promise<EventTotals>((resolve, reject) => {
    fail = (error: Error) => {
      if (settled) return;
      failed = error;
      settled = true;
      reject(error);
    };
    worker.on('message', (message: EventWorkerMessage) => {
      if (message.kind === 'keys') {
        if (onKey) take(message);
        else waiting.push(message);
      } else if (message.kind === 'done') {
        tracePhase('worker: done received');
        // `done` comes after every key batch, and only once they are all acknowledged.
        settled = true;
        resolve({
          chain: message.chain,
          eventObjects: new Map(message.eventObjects),
          rows: message.rows,
          workerCpuSeconds: message.cpuSeconds
        });
      } else {
        fail(
          message.format
            ? new ExportFormatError(message.message)
            : Object.assign(new Error(message.message), { stack: message.stack })
        );
      }
    });
    worker.on('error', (error: Error & { code?: string }) =>
      fail(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? workerOutOfMemory(heapMb) : error)
    );
    worker.on('exit', (code) =>
      fail(
        new Error(
          `The audit event worker stopped (exit code ${code}) before the chain was verified. Run the audit again with SDG_AUDIT_WORKER=0 to verify it in the main thread.`
        )
      )
    );
  });
  // The record audit awaits `done` later; a failure before then must not be an unhandled rejection.
  done.catch(() => {});
  return {
    attach: (handler) => {
      onKey = handler;
      for (const batch of waiting.splice(0)) take(batch);
    },
    done,
    failure: () => failed,
    stop: async () => {
      await worker.terminate();
    }
  };
}
