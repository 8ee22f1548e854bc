import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { AuditEvent } from '../audit-chain/canonical';
import { ChainReport, ChainVerifier } from '../audit-chain/chain-verifier';
import { ExportFormatError } from '../audit-chain/export-format-error';
import type { VerificationKeys } from '../audit-chain/signatures';
import type { ExportSourceOptions } from './audit-source';
import type { InventoryFile } from './export-inventory';
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
  for await (const batch of batches) {
    for (const event of batch) {
      verifier.push(event);
      if (event.recordId) onKey(event.recordId, statusEntryValue(event));
      if (event.objectType)
        eventObjects.set(event.objectType, (eventObjects.get(event.objectType) ?? 0) + 1);
      rows++;
    }
    await afterBatch?.();
  }
  return { chain: verifier.finish(), eventObjects, rows };
}

/** What the worker is given: the export to open again, and the keys as plain data. */
export interface EventWorkerData {
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

/** Below this many bytes of events a worker's start-up costs more than it saves. */
export const WORKER_MIN_EVENT_BYTES = 16 * 1024 * 1024;

/** Bytes of the export's audit event files (a zip's entries count as the zip's size). */
function eventBytes(from: string, files: readonly InventoryFile[]): number {
  let total = 0;
  for (const file of files) {
    if (file.object !== 'Synthetic_Audit_Event__c') continue;
    try {
      total += fs.statSync(file.where).size;
    } catch {
      try {
        total += fs.statSync(from).size;
      } catch {
        // Sizes only choose where the chain is verified; an unreadable file fails in the reader.
      }
    }
  }
  return total;
}

/**
 * Whether the chain is verified in a worker thread beside the record audit: with more than one
 * core and enough events to repay the worker's start (module loading). `SDG_AUDIT_WORKER=1|0`
 * forces either way (tests, and measuring both).
 */
export function eventWorkerWanted(from: string, files: readonly InventoryFile[]): boolean {
  const forced = process.env.SDG_AUDIT_WORKER;
  if (forced === '1') return true;
  if (forced === '0') return false;
  return os.availableParallelism() > 1 && eventBytes(from, files) >= WORKER_MIN_EVENT_BYTES;
}

/** The chain verification running in a worker thread (see startEventWorker). */
export interface EventWorker {
  /** The totals, or the worker's error (an ExportFormatError keeps its class and message). */
  readonly done: Promise<EventTotals>;
  /** The worker's error as soon as it is known (the record audit stops early on it). */
  failure(): Error | null;
  /** Stops the worker if it still runs. */
  stop(): Promise<void>;
}

/**
 * Starts reading the export's audit events in a worker thread. Each coverage key arrives through
 * `onKey` (record id, status entry) in chain order; each batch of them is acknowledged, so the
 * worker never runs more than a few batches ahead: memory stays flat whatever the chain's length.
 */
export function startEventWorker(
  from: string,
  exportOptions: ExportSourceOptions,
  keys: VerificationKeys,
  onKey: (recordId: string, entry: string) => void
): EventWorker {
  const data: EventWorkerData = {
    from,
    exportOptions,
    ...(keys.certificate
      ? { certificatePem: keys.certificate.export({ type: 'spki', format: 'pem' }).toString() }
      : {}),
    ...(keys.hmacKey ? { hmacKey: new Uint8Array(keys.hmacKey) } : {})
  };
  // A .cjs entry registers tsx in the worker: threads do not inherit the CLI's require hooks.
  // The heap is capped: the worker's memory is flat by design (a few batches in flight), and
  // without a cap V8 lets a second heap grow as if it were alone (about 100 MB more at 1M records).
  const worker = new Worker(path.join(__dirname, 'event-worker-entry.cjs'), {
    workerData: data,
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB }
  });
  let failed: Error | null = null;
  let settled = false;
  const done = new Promise<EventTotals>((resolve, reject) => {
    const fail = (error: Error) => {
      failed = error;
      settled = true;
      reject(error);
    };
    worker.on('message', (message: EventWorkerMessage) => {
      if (message.kind === 'keys') {
        try {
          const { text, ends } = message;
          for (let k = 0, at = 0; k + 1 < ends.length; k += 2) {
            const idEnd = ends[k]!;
            const entryEnd = ends[k + 1]!;
            onKey(text.slice(at, idEnd), text.slice(idEnd, entryEnd));
            at = entryEnd;
          }
        } catch (error) {
          fail(error as Error);
          return;
        }
        worker.postMessage('ack');
      } else if (message.kind === 'done') {
        settled = true;
        resolve({
          chain: message.chain,
          eventObjects: new Map(message.eventObjects),
          rows: message.rows,
          workerCpuSeconds: message.cpuSeconds
        });
      } else {
        const error = message.format
          ? new ExportFormatError(message.message)
          : Object.assign(new Error(message.message), { stack: message.stack });
        fail(error);
      }
    });
    worker.on('error', (error: Error & { code?: string }) =>
      fail(
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new Error(
              `The audit event worker needed more than its ${WORKER_HEAP_MB} MB heap (an event far larger than usual?). Run the audit again with SDG_AUDIT_WORKER=0 to verify the chain in the main thread.`
            )
          : error
      )
    );
    worker.on('exit', (code) => {
      if (!settled) fail(new Error(`The audit event worker stopped (exit code ${code}).`));
    });
  });
  // The record audit awaits `done` later; a failure before then must not be an unhandled rejection.
  done.catch(() => {});
  return {
    done,
    failure: () => failed,
    stop: async () => {
      await worker.terminate();
    }
  };
}
