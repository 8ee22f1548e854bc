import type { AuditEvent } from '../audit-chain/canonical';
import type { ChainReport } from '../audit-chain/chain-verifier';
import type { VerificationKeys } from '../audit-chain/signatures';
import type { PolicySet } from '../policy/package-policy';
import type { GovernedObject } from '../provenance-model/schema';
import { OBJECT_ORDER } from '../seed/export-layout';
import { AuditSource, ExportSource, ExportSourceOptions, openExport } from './audit-source';
import { buildFindings, bySeverity, SEVERITY_RANK } from './audit-findings';
import { SpillJoin } from './spill-join';
import { DeferredProbes } from './deferred-probes';
import {
  EventTotals,
  EventWorker,
  eventWorkerLikely,
  eventWorkerWanted,
  readEvents,
  startEventWorker,
  tracePhase
} from './event-pass';
import { Control, CONTROLS, Finding, NotRun, Severity } from './findings';
import type { ExportRow } from './record-reader';
import { Fallback, ObjectStats, RecordAudit } from './record-audit';
import { controlGaps, missingObjectFindings } from './control-inputs';
import { SOURCE_APPROVAL_CONTROL } from './source-approval-control';
import type { InventoryFile } from './export-inventory';
import { EntrySource, keepStatusEntry } from './status-entry';

export type { ObjectStats } from './record-audit';

/** Options of an offline audit. */
export interface AuditOptions {
  policy: PolicySet;
  /** Ages are measured against this time. */
  now: string;
  /** Days a quarantined record may wait for review. */
  slaDays: number;
  keys?: VerificationKeys;
  /** Findings of controls only some sources can check (SetupAuditTrail from an org). */
  extraFindings?: Finding[];
  extraControls?: Control[];
  /** Where those controls could not run (a control with a gap on every object is not-run). */
  extraNotRun?: NotRun[];
  /** Record ids a join holds in memory before it spills to disk (tests lower it). */
  joinMemoryLimit?: number;
  /** Gaps accepted up front (`--allow-missing events,Lead,provenance`). */
  allowMissing?: string[];
  /**
   * Told the CPU seconds of the worker thread that verified the chain, when one did (the
   * benchmark reports the longer of that and the main thread's as the critical path).
   */
  onEventWorker?: (figures: { cpuSeconds: number }) => void;
  /** Where `now` came from, said in the report ("--now", "the wall clock", …). */
  clock?: string;
  /** Why SDG-15 cannot run: the export holds no registry (`policy.json`); unset when it can. */
  registryGap?: string | null;
}

/** Everything an audit found: the input of every report format. */
export interface AuditResult {
  source: string;
  generatedAt: string;
  now: string;
  objects: Record<string, ObjectStats>;
  quarantineAges: Record<string, number>;
  oldestQuarantineDays: number | null;
  /** Quarantined records whose entry into quarantine the export does not date (not aged). */
  quarantineAgeUnknown?: number;
  /**
   * Where each aged quarantined record's entry time came from: "audit events" (the latest event
   * that set its status), else the export's CreatedDate, LastModifiedDate or SystemModstamp.
   */
  quarantineAgeSources?: Partial<Record<EntrySource, number>>;
  chain: ChainReport | null;
  findings: Finding[];
  controls: {
    id: string;
    title: string;
    passed: boolean;
    worst: Severity | null;
    /** passed, failed, or not-run (no input for it: never counted as passed). */
    status: 'passed' | 'failed' | 'not-run';
    /** Objects (or the whole export) the control could not run on, and why. */
    notRun: NotRun[];
  }[];
  /** Every control/object the audit could not run, and why. */
  notRun: NotRun[];
  /** The export's files and how each one's object was decided (exports only). */
  files?: InventoryFile[];
  /** Where `now` came from. */
  clock?: string;
  rows: number;
}

/**
 * Audits an export folder (one CSV per governed object and the audit events), streaming every
 * file: memory holds counters, at most 50 ids per finding, and the ids needed for joins (records
 * with audit events, synthetic accounts).
 */
export async function auditExportFolder(
  dir: string,
  options: AuditOptions & ExportSourceOptions
): Promise<AuditResult> {
  tracePhase('audit: start');
  const exportOptions: ExportSourceOptions = {
    ...(options.objects ? { objects: options.objects } : {}),
    ...(options.governed ? { governed: options.governed } : {})
  };
  // The event worker starts first, so its start-up overlaps the inventory; the inventory then
  // says whether the events repay it, and stops it if not.
  const worker = eventWorkerLikely(dir)
    ? startEventWorker(dir, exportOptions, options.keys ?? {})
    : null;
  let source: ExportSource;
  try {
    source = await openExport(dir, options);
  } catch (error) {
    await worker?.stop();
    throw error;
  }
  tracePhase('audit: export opened');
  try {
    const wanted = source.eventBatches() !== null && eventWorkerWanted(source.eventBytes);
    if (worker && !wanted) await worker.stop();
    // A zip's events can be many times the zip's size: started now if only the inventory shows it.
    const events = wanted
      ? (worker ?? startEventWorker(dir, exportOptions, options.keys ?? {}))
      : null;
    return await auditSource(source, options, events ? { worker: events } : undefined);
  } finally {
    source.close();
  }
}

function isExportSource(source: AuditSource): source is ExportSource {
  return typeof (source as ExportSource).rows === 'function';
}

/** Every record in batches: an export's parser batches, an org's rows one batch per row. */
async function* everyBatch(
  source: AuditSource
): AsyncGenerator<{ object: GovernedObject; row: ExportRow }[]> {
  if (isExportSource(source)) {
    yield* source.rowBatches();
    return;
  }
  for (const object of source.objects ?? OBJECT_ORDER) {
    const records = source.records(object);
    if (records) for await (const row of records) yield [{ object, row }];
  }
}

/** The audit events in batches: an export's parser batches, an org's events one per batch. */
function eventBatchesOf(source: AuditSource): AsyncIterable<AuditEvent[]> | null {
  if (isExportSource(source)) return source.eventBatches();
  const events = source.events();
  if (!events) return null;
  return (async function* () {
    for await (const event of events) yield [event];
  })();
}

/** A worker thread verifying the same export's chain beside the records (startEventWorker). */
export interface ParallelEvents {
  worker: EventWorker;
}

/** What the audit events gave the record audit (none from a source without events). */
interface EventsRead {
  chain: ChainReport | null;
  eventObjects: Map<string, number>;
  rows: number;
}

/**
 * Audits records and audit events from any source (an export folder, an org). With `parallel`
 * (an export with audit events), the chain is verified in a worker thread while the records are
 * read; the records' coverage probes wait until every event is read, so the result is the same.
 */
export async function auditSource(
  source: AuditSource,
  options: AuditOptions,
  parallel?: ParallelEvents
): Promise<AuditResult> {
  const events: EventsRead = { chain: null, eventObjects: new Map(), rows: 0 };
  // Joins on record ids spill to disk past 100k ids, so memory stays flat on any export size.
  // The coverage join also carries, per record, the event that set its latest status: the
  // review SLA runs from when a record entered its status, not from its creation.
  const audited = new SpillJoin('coverage', options.joinMemoryLimit, 256, keepStatusEntry);
  const syntheticAccounts = new SpillJoin('lineage', options.joinMemoryLimit);
  const took = (totals: EventTotals) => {
    events.chain = totals.chain;
    events.eventObjects = totals.eventObjects;
    events.rows += totals.rows;
    if (totals.workerCpuSeconds !== undefined)
      options.onEventWorker?.({ cpuSeconds: totals.workerCpuSeconds });
  };
  const worker = parallel?.worker ?? null;
  worker?.attach((id, entry) => audited.add(id, entry));
  const deferred = worker ? new DeferredProbes() : null;
  // Probes wait only while the coverage join could still answer them at once in record order:
  // once it has spilled it answers every probe at finish() (partition by partition), as it would
  // had the events been read first, so the waiting ones go in and later ones go straight in.
  let deferring = deferred !== null;
  // Until the worker has read every event, records are audited as if events were read.
  let waitingOnWorker = worker !== null;
  let workerTotals: EventTotals | null = null;
  void worker?.done.then(
    (totals) => (workerTotals = totals),
    () => {}
  );
  // A probe found now is found for good; unless its record is quarantined (its entry time may
  // come from a later event) it has nothing more to say, so only the others wait.
  const deferIfMissing = (payload: string, found: boolean) => {
    if (!found) deferred?.add(payload);
  };
  const probeCoverage = (payload: string) => {
    const from = payload.indexOf('\t') + 1;
    const to = payload.indexOf('\t', from);
    audited.probe(payload.slice(from, to < 0 ? payload.length : to), payload, records.onCoverage);
  };
  if (!worker) {
    const batches = eventBatchesOf(source);
    if (batches)
      took(await readEvents(batches, options.keys ?? {}, (id, entry) => audited.add(id, entry)));
  }
  // A chain with no events proves nothing: coverage and chain controls are not run on it.
  // (With a worker this is known only after the records: their probes wait in `deferred`.)
  let eventsRead = events.chain !== null && events.chain.events > 0;
  // Once the worker has read every event, the chain is known: the waiting probes are answered,
  // in record order, and the records still to come are probed at once.
  const handOver = (totals: EventTotals) => {
    took(totals);
    waitingOnWorker = false;
    eventsRead = events.chain !== null && events.chain.events > 0;
    if (deferring) deferred?.drain(eventsRead ? probeCoverage : records.onUncovered);
    deferring = false;
  };
  const coverage = (object: GovernedObject, id: string, fallback: Fallback) => {
    if (!waitingOnWorker && !eventsRead) {
      records.ageFromFields(object, id, fallback);
      return;
    }
    const entry =
      fallback === undefined ? '' : `\t${fallback?.source ?? ''}\t${fallback?.at ?? ''}`;
    if (deferring && audited.spilled) {
      deferring = false;
      deferred?.drain(probeCoverage);
    }
    if (!deferring) audited.probe(id, `${object}\t${id}${entry}`, records.onCoverage);
    else if (entry === '') audited.probe(id, `${object}\t${id}`, deferIfMissing);
    else deferred?.add(`${object}\t${id}${entry}`);
  };
  const records: RecordAudit = new RecordAudit(
    options,
    coverage,
    (id) => syntheticAccounts.add(id),
    (accountId, payload) => syntheticAccounts.probe(accountId, payload, records.onLineage)
  );
  tracePhase('records: start');
  try {
    for await (const batch of everyBatch(source)) {
      // The events' error is the one reading them first would have given: stop at once.
      const failure = worker?.failure();
      if (failure) throw failure;
      if (waitingOnWorker && workerTotals) handOver(workerTotals);
      for (const item of batch) records.row(item.object, item.row);
    }
  } catch (error) {
    deferred?.discard();
    if (worker)
      try {
        await worker.done;
      } finally {
        await worker.stop();
      }
    throw error;
  }
  tracePhase('records: read');
  if (worker) {
    let totals: EventTotals | null = null;
    try {
      if (waitingOnWorker) totals = await worker.done;
    } catch (error) {
      deferred?.discard();
      throw error;
    } finally {
      await worker.stop();
    }
    if (totals) handOver(totals);
  }
  audited.finish(records.onCoverage);
  syntheticAccounts.finish(records.onLineage);
  tracePhase('joins: done');
  return auditResult(source, options, records, events, eventsRead);
}

/** The controls each with its status: failed on a finding above info, else not-run or passed. */
function controlResults(
  findings: Finding[],
  notRun: NotRun[],
  extraControls: Control[]
): AuditResult['controls'] {
  const worst = (control: string) =>
    findings
      .filter((f) => f.control === control)
      .map((f) => f.severity)
      .sort((a, b) => SEVERITY_RANK[a] - SEVERITY_RANK[b])[0] ?? null;
  return [...CONTROLS, ...extraControls].map((c) => {
    const gaps = notRun.filter((g) => g.control === c.id);
    const ranNowhere = gaps.some((g) => g.object === null);
    const failed = worst(c.id) !== null && worst(c.id) !== 'info';
    const status = failed ? 'failed' : ranNowhere ? 'not-run' : 'passed';
    return {
      id: c.id,
      title: c.title,
      passed: status === 'passed',
      worst: worst(c.id),
      status,
      notRun: gaps
    };
  });
}

/** The audit's result once every record and event is read: gaps, findings, controls. */
function auditResult(
  source: AuditSource,
  options: AuditOptions,
  records: RecordAudit,
  events: EventsRead,
  eventsRead: boolean
): AuditResult {
  const { objects, tallies } = records;
  const { chain } = events;
  if (isExportSource(source))
    for (const object of source.columns.keys())
      objects[object] ??= { records: 0, synthetic: 0, byStatus: {}, withoutProvenance: 0 };
  const notRun = isExportSource(source)
    ? controlGaps({
        objects: Object.keys(objects) as GovernedObject[],
        columns: source.columns,
        policy: options.policy,
        events: chain === null ? 'missing' : eventsRead ? 'read' : 'empty',
        allowMissing: options.allowMissing ?? []
      })
    : [];
  // Without the columns SDG-15 reads it ran nowhere already, for that reason; else the registry is
  // what it lacks.
  const ranNowhere = notRun.some((g) => g.control === SOURCE_APPROVAL_CONTROL.id && !g.object);
  if (options.registryGap && !ranNowhere)
    notRun.push({
      control: SOURCE_APPROVAL_CONTROL.id,
      title: SOURCE_APPROVAL_CONTROL.title,
      object: null,
      reason: options.registryGap,
      allowed: (options.allowMissing ?? []).some((n) => n.toLowerCase() === 'registry')
    });
  notRun.push(...(options.extraNotRun ?? []));
  for (const gap of notRun) if (gap.object) tallies.delete(`${gap.control}|${gap.object}`);
  const findings = [
    ...buildFindings(
      tallies,
      eventsRead ? chain : null,
      options,
      records.untrustedModels,
      records.oldestQuarantine,
      records.unapprovedSources
    ),
    ...(isExportSource(source)
      ? missingObjectFindings(
          events.eventObjects,
          new Set(Object.keys(objects)),
          options.allowMissing ?? []
        )
      : []),
    ...(options.extraFindings ?? [])
  ].sort(bySeverity);
  const oldest = records.oldestQuarantine;
  return {
    source: source.label,
    generatedAt: new Date().toISOString(),
    now: options.now,
    objects,
    quarantineAges: records.quarantineAges,
    oldestQuarantineDays: oldest === null ? null : Math.round(oldest * 10) / 10,
    quarantineAgeUnknown: records.quarantineAgeUnknown,
    quarantineAgeSources: records.quarantineAgeSources,
    chain,
    findings,
    controls: controlResults(findings, notRun, options.extraControls ?? []),
    notRun,
    ...(isExportSource(source) ? { files: source.files } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    rows: records.rows + events.rows
  };
}
