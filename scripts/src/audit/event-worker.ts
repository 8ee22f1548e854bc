import { createPublicKey } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { ExportFormatError } from '../audit-chain/export-format-error';
import type { VerificationKeys } from '../audit-chain/signatures';
import { openExport } from './audit-source';
import { EventWorkerData, EventWorkerMessage, readEvents, threadCpuSeconds } from './event-pass';

/** Keys per message: large enough that posting costs little, small enough to stay flat. */
const KEYS_PER_MESSAGE = 8192;
/** Messages the worker may run ahead of the record audit's acknowledgements. */
const IN_FLIGHT = 8;

/**
 * The worker side of startEventWorker: opens the export again (its own reader; nothing is shared
 * between threads), verifies the chain and posts the coverage keys in chain order.
 */
async function run(port: NonNullable<typeof parentPort>, data: EventWorkerData): Promise<void> {
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
  let pending: string[] = [];
  const flush = async () => {
    if (pending.length) {
      post({ kind: 'keys', keys: pending });
      pending = [];
      inFlight++;
    }
    while (inFlight > IN_FLIGHT) await new Promise<void>((resolve) => (wake = resolve));
  };
  const source = await openExport(data.from, data.exportOptions);
  try {
    const batches = source.eventBatches();
    if (!batches) throw new Error('The export has no audit event file to verify.');
    const totals = await readEvents(
      batches,
      keys,
      (id, entry) => pending.push(id, entry),
      () => (pending.length >= KEYS_PER_MESSAGE ? flush() : undefined)
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

const port = parentPort;
if (port)
  run(port, workerData as EventWorkerData)
    .catch((error: unknown) => {
      const e = error instanceof Error ? error : new Error(String(error));
      port.postMessage({
        kind: 'error',
        format: e instanceof ExportFormatError,
        message: e.message,
        stack: e.stack
      } satisfies EventWorkerMessage);
    })
    // Nothing then keeps the thread alive: it ends once its last message is sent.
    .finally(() => port.removeAllListeners('message'));
