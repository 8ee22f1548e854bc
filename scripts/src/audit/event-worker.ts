import { createPublicKey } from 'node:crypto';
import { MessagePort, parentPort, workerData } from 'node:worker_threads';
import { ExportFormatError } from '../audit-chain/export-format-error';
import type { VerificationKeys } from '../audit-chain/signatures';
import { openExport } from './audit-source';
import {
  EventWorkerData,
  EventWorkerMessage,
  readEvents,
  threadCpuSeconds,
  tracePhase
} from './event-pass';

/** Keys per message: large enough that posting costs little, small enough to stay flat. */
const KEYS_PER_MESSAGE = 8192;
/** Messages the worker may run ahead of the record audit's acknowledgements. */
const IN_FLIGHT = 8;

/**
 * The worker side of startEventWorker: opens the export again (its own reader; nothing is shared
 * between threads), verifies the chain and posts the coverage keys in chain order.
 */
async function run(port: MessagePort, data: EventWorkerData): Promise<void> {
  const keys: VerificationKeys = {
    ...(data.certificatePem ? { certificate: createPublicKey(data.certificatePem) } : {}),
    ...(data.hmacKey ? { hmacKey: Buffer.from(data.hmacKey) } : {})
  };
  let inFlight = 0;
  let wake: (() => void) | null = null;
  port.on('message', () => {
    inFlight--;
    wake?.();
    wake = null;
  });
  const post = (message: EventWorkerMessage) => port.postMessage(message);
  // A batch goes as one string and the end offset of each id and entry in it (a transferred
  // buffer): cloning one string costs a copy, cloning 16,384 small ones costs an object each on
  // both sides.
  let parts: string[] = [];
  let ends = new Uint32Array(KEYS_PER_MESSAGE * 2);
  let count = 0;
  let length = 0;
  const add = (id: string, entry: string) => {
    parts.push(id, entry);
    ends[count++] = length += id.length;
    ends[count++] = length += entry.length;
  };
  const flush = async () => {
    if (count) {
      const message: EventWorkerMessage = {
        kind: 'keys',
        text: parts.join(''),
        ends: ends.subarray(0, count)
      };
      port.postMessage(message, [ends.buffer]);
      parts = [];
      ends = new Uint32Array(KEYS_PER_MESSAGE * 2);
      count = 0;
      length = 0;
      inFlight++;
    }
    while (inFlight > IN_FLIGHT) await new Promise<void>((resolve) => (wake = resolve));
  };
  const source = await openExport(data.from, data.exportOptions);
  tracePhase('worker: export opened');
  try {
    const batches = source.eventBatches();
    if (!batches) throw new Error('The export has no audit event file to verify.');
    const totals = await readEvents(batches, keys, add, () =>
      count >= KEYS_PER_MESSAGE ? flush() : undefined
    );
    await flush();
    post({
      kind: 'done',
      chain: totals.chain,
      eventObjects: [...totals.eventObjects],
      rows: totals.rows,
      cpuSeconds: threadCpuSeconds()
    });
  } finally {
    source.close();
  }
}

/**
 * Runs the event pass for the thread at the other end of `port`: its keys, then `done`, or one
 * `error` message (an ExportFormatError keeps its class). Resolves once the last message is
 * posted; the port then holds no listener, so nothing keeps the thread alive. Tests call it in
 * process with a MessageChannel.
 */
export async function serveEventWorker(port: MessagePort, data: EventWorkerData): Promise<void> {
  try {
    await run(port, data);
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    port.postMessage({
      kind: 'error',
      format: e instanceof ExportFormatError,
      message: e.message,
      stack: e.stack
    } satisfies EventWorkerMessage);
  } finally {
    port.removeAllListeners('message');
  }
}

const data = workerData as EventWorkerData | null;
if (parentPort && data?.kind === 'sdg-event-worker') {
  tracePhase('worker: modules loaded');
  void serveEventWorker(parentPort, data);
}
