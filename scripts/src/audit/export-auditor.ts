import type { AuditEvent } from '../audit-chain/canonical';
import type { ChainReport } from '../audit-chain/chain-verifier';
import type { VerificationKeys } from '../audit-chain/signatures';
import { policyFor, PolicySet } from '../policy/package-policy';
import { AI_GENERATION_METHODS, decide, ProvenanceValues } from '../policy/provenance-policy';
import { TrustedSourceRegistry } from '../policy/trusted-source-registry';
import { GovernedObject, PROVENANCE_FIELDS } from '../provenance-model/schema';
import { OBJECT_ORDER } from '../seed/export-layout';
import { AuditSource, ExportSource, ExportSourceOptions, openExport } from './audit-source';
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
import { Control, CONTROLS, Finding, MAX_IDS, NotRun, Severity } from './findings';
import { checkbox, ExportRow, field } from './record-reader';
import { controlGaps, missingObjectFindings } from './control-inputs';
import {
  SOURCE_APPROVAL_CONTROL,
  sourceApprovalSpec,
  unapprovedValues
} from './source-approval-control';
import type { InventoryFile } from './export-inventory';
import { EntrySource, eventEntry, fieldEntry, keepStatusEntry } from './status-entry';

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

/** Counts per object, for the report's charts. */
export interface ObjectStats {
  records: number;
  synthetic: number;
  byStatus: Record<string, number>;
  /** Records carrying no provenance value at all (the pre-install audit counts these). */
  withoutProvenance: number;
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

const SERVICE_REASONS = ['BULK_INJECTION_LIMIT', 'RECALLED', 'RETENTION_EXPIRED'];

const AGE_BUCKETS: [string, number][] = [
  ['< 1 day', 1],
  ['1-3 days', 3],
  ['3-7 days', 7],
  ['7-14 days', 14],
  ['14-30 days', 30],
  ['30+ days', Infinity]
];

class Tally {
  count = 0;
  ids: string[] = [];
  add(id: string): void {
    this.count++;
    // A copy: a parsed id is a slice of its 64 KiB parse piece, which holding it would keep.
    if (this.ids.length < MAX_IDS) this.ids.push(Buffer.from(id, 'utf8').toString('utf8'));
  }
}

const PROVENANCE_NAMES = Object.values(PROVENANCE_FIELDS);

/** Whether a record carries any provenance value (a checkbox left false carries none). */
function carriesProvenance(row: ExportRow): boolean {
  for (const name of PROVENANCE_NAMES) {
    const value = field(row, name);
    if (value !== '' && value !== 'false' && value !== '0') return true;
  }
  return false;
}

/** A field's text, null when blank. */
function text(row: ExportRow, name: string): string | null {
  return field(row, name) || null;
}

/** Whether a volume guard, a recall or retention set the stored reasons (no closure per row). */
function setByService(reasons: string): boolean {
  for (const code of SERVICE_REASONS) if (reasons.includes(code)) return true;
  return false;
}

function toValues(row: ExportRow): ProvenanceValues {
  const confidence = field(row, PROVENANCE_FIELDS.syntheticConfidence);
  return {
    Synthetic_Data__c: checkbox(field(row, PROVENANCE_FIELDS.syntheticData)),
    AI_Model__c: text(row, PROVENANCE_FIELDS.aiModel),
    Generated_At__c: text(row, PROVENANCE_FIELDS.generatedAt),
    Generation_Method__c: text(row, PROVENANCE_FIELDS.generationMethod),
    Provenance_Source__c: text(row, PROVENANCE_FIELDS.provenanceSource),
    Synthetic_Confidence__c: confidence === '' ? null : Number(confidence),
    Provenance_Hash__c: text(row, PROVENANCE_FIELDS.provenanceHash),
    Synthetic_Status__c: text(row, PROVENANCE_FIELDS.syntheticStatus)
  };
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
  const now = Date.parse(options.now);
  const registry = new TrustedSourceRegistry(options.policy.trustedSources);
  const objects: Record<string, ObjectStats> = {};
  const quarantineAges: Record<string, number> = Object.fromEntries(
    AGE_BUCKETS.map(([label]) => [label, 0])
  );
  let oldestQuarantine: number | null = null;
  let quarantineAgeUnknown = 0;
  const tallies = new Map<string, Tally>();
  const tally = (control: string, object: string) => {
    const key = `${control}|${object}`;
    let t = tallies.get(key);
    if (!t) tallies.set(key, (t = new Tally()));
    return t;
  };
  // Per object: SDG-04 names each object's own most frequent models, not the org's.
  const untrustedModels = new Map<string, Map<string, number>>();
  // Per object: SDG-15 names the unapproved models and sources most records come from.
  const unapprovedSources = new Map<string, Map<string, number>>();
  let rows = 0;

  // Audit events first: the chain, and which records have events.
  let chain: ChainReport | null = null;
  // Joins on record ids spill to disk past 100k ids, so memory stays flat on any export size.
  // The coverage join also carries, per record, the event that set its latest status: the
  // review SLA runs from when a record entered its status, not from its creation.
  const audited = new SpillJoin('coverage', options.joinMemoryLimit, 256, keepStatusEntry);
  const syntheticAccounts = new SpillJoin('lineage', options.joinMemoryLimit);
  const quarantineAgeSources: Partial<Record<EntrySource, number>> = {};
  const ageQuarantined = (object: string, id: string, at: string, source: EntrySource) => {
    const entered = Date.parse(at);
    if (Number.isNaN(entered)) {
      quarantineAgeUnknown++;
      return;
    }
    quarantineAgeSources[source] = (quarantineAgeSources[source] ?? 0) + 1;
    const days = (now - entered) / 86_400_000;
    oldestQuarantine = Math.max(oldestQuarantine ?? 0, days);
    const bucket = AGE_BUCKETS.find(([, limit]) => days < limit)?.[0] ?? '30+ days';
    quarantineAges[bucket] = (quarantineAges[bucket] ?? 0) + 1;
    if (days > options.slaDays) tally('SDG-05', object).add(id);
  };
  // Payload: object, id, and for a quarantined record the export's fallback source and time.
  const onCoverage = (payload: string, found: boolean, value: string) => {
    const [object = '', id = '', source, at = ''] = payload.split('\t');
    if (!found) tally('SDG-09', object).add(id);
    if (source === undefined) return;
    const fromEvents = eventEntry(value, 'Quarantined');
    if (fromEvents !== null) ageQuarantined(object, id, fromEvents, 'audit events');
    else if (source === '') quarantineAgeUnknown++;
    else ageQuarantined(object, id, at, source as EntrySource);
  };
  const onLineage = (payload: string, found: boolean) => {
    const [object = '', id = '', synthetic] = payload.split('\t');
    if (found !== (synthetic === '1')) tally('SDG-07', object).add(id);
  };
  let eventObjects = new Map<string, number>();
  const took = (totals: EventTotals) => {
    chain = totals.chain;
    eventObjects = totals.eventObjects;
    rows += totals.rows;
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
    audited.probe(payload.slice(from, to < 0 ? payload.length : to), payload, onCoverage);
  };
  if (!worker) {
    const events = eventBatchesOf(source);
    if (events)
      took(await readEvents(events, options.keys ?? {}, (id, entry) => audited.add(id, entry)));
  }
  // A chain with no events proves nothing: coverage and chain controls are not run on it.
  // (With a worker this is known only after the records: their probes wait in `deferred`.)
  let eventsRead = chain !== null && (chain as ChainReport).events > 0;
  // A probe's payload when no event was read: the export's own dates age a quarantined record.
  const onUncovered = (payload: string) => {
    const [object = '', id = '', source, at = ''] = payload.split('\t');
    if (source === undefined) return;
    if (source === '') quarantineAgeUnknown++;
    else ageQuarantined(object, id, at, source as EntrySource);
  };
  // Once the worker has read every event, the chain is known: the waiting probes are answered,
  // in record order, and the records still to come are probed at once.
  const handOver = (totals: EventTotals) => {
    took(totals);
    waitingOnWorker = false;
    eventsRead = chain !== null && chain.events > 0;
    if (deferring) deferred?.drain(eventsRead ? probeCoverage : onUncovered);
    deferring = false;
  };

  const onRow = (object: GovernedObject, row: ExportRow): void => {
    const policy = policyFor(options.policy, object);
    const stats: ObjectStats = (objects[object] ??= {
      records: 0,
      synthetic: 0,
      byStatus: {},
      withoutProvenance: 0
    });
    rows++;
    stats.records++;
    const id = field(row, 'Id') || row.key || '';
    const values = toValues(row);
    if (!carriesProvenance(row)) stats.withoutProvenance++;
    const status = values.Synthetic_Status__c ?? '(blank)';
    stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
    if (values.Synthetic_Data__c) stats.synthetic++;
    if (object === 'Account' && values.Synthetic_Data__c) syntheticAccounts.add(id);

    const method = values.Generation_Method__c ?? null;
    const declaresAi =
      values.AI_Model__c !== null || (method !== null && AI_GENERATION_METHODS.has(method));
    if (values.Synthetic_Data__c) {
      if (policy.requiredFields.some((f) => (values[f as keyof ProvenanceValues] ?? '') === ''))
        tally('SDG-01', object).add(id);
      if (
        values.AI_Model__c &&
        registry.verdict(values.AI_Model__c, 'Model', options.now) !== 'trusted'
      ) {
        tally('SDG-04', object).add(id);
        let models = untrustedModels.get(object);
        if (!models) untrustedModels.set(object, (models = new Map<string, number>()));
        models.set(values.AI_Model__c, (models.get(values.AI_Model__c) ?? 0) + 1);
      }
      if (!policy.allowSync && status !== 'Quarantined' && status !== 'Rejected')
        tally('SDG-06', object).add(id);
    } else if (declaresAi) {
      tally('SDG-03', object).add(id);
    }

    if (!options.registryGap) {
      const unapproved = unapprovedValues(values, registry, options.now);
      if (unapproved.length) {
        tally(SOURCE_APPROVAL_CONTROL.id, object).add(id);
        let counts = unapprovedSources.get(object);
        if (!counts) unapprovedSources.set(object, (counts = new Map<string, number>()));
        for (const value of unapproved) counts.set(value, (counts.get(value) ?? 0) + 1);
      }
    }

    const storedReasons = field(row, PROVENANCE_FIELDS.syntheticReasons);
    // Statuses set by a volume guard, a recall or retention are not the policy's to re-derive.
    if (!setByService(storedReasons)) {
      const decision = decide({
        policy,
        record: values,
        previous: values,
        context: { now: options.now, canReview: false, syntheticSeenBefore: 0 },
        registry
      });
      if ((decision.status ?? '(blank)') !== status) tally('SDG-02', object).add(id);
    }

    const fallback = status === 'Quarantined' ? fieldEntry(row, storedReasons) : undefined;

    const accountId = field(row, 'AccountId').replace(/^@/, '');
    if (object !== 'Account' && object !== 'Lead' && accountId) {
      syntheticAccounts.probe(
        accountId,
        `${object}\t${id}\t${values.Synthetic_Data__c ? 1 : 0}`,
        onLineage
      );
    }
    if (waitingOnWorker || eventsRead) {
      const entry =
        fallback === undefined ? '' : `\t${fallback?.source ?? ''}\t${fallback?.at ?? ''}`;
      if (deferring && audited.spilled) {
        deferring = false;
        deferred?.drain(probeCoverage);
      }
      if (!deferring) audited.probe(id, `${object}\t${id}${entry}`, onCoverage);
      else if (entry === '') audited.probe(id, `${object}\t${id}`, deferIfMissing);
      else deferred?.add(`${object}\t${id}${entry}`);
    } else if (fallback === null) quarantineAgeUnknown++;
    else if (fallback) ageQuarantined(object, id, fallback.at, fallback.source);
  };
  tracePhase('records: start');
  try {
    for await (const batch of everyBatch(source)) {
      // The events' error is the one reading them first would have given: stop at once.
      const failure = worker?.failure();
      if (failure) throw failure;
      if (waitingOnWorker && workerTotals) handOver(workerTotals);
      for (const item of batch) onRow(item.object, item.row);
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
  audited.finish(onCoverage);
  syntheticAccounts.finish(onLineage);
  tracePhase('joins: done');
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
      untrustedModels,
      oldestQuarantine,
      unapprovedSources
    ),
    ...(isExportSource(source)
      ? missingObjectFindings(
          eventObjects,
          new Set(Object.keys(objects)),
          options.allowMissing ?? []
        )
      : []),
    ...(options.extraFindings ?? [])
  ].sort(bySeverity);
  const worst = (control: string) =>
    findings
      .filter((f) => f.control === control)
      .map((f) => f.severity)
      .sort((a, b) => SEVERITY_RANK[a] - SEVERITY_RANK[b])[0] ?? null;
  return {
    source: source.label,
    generatedAt: new Date().toISOString(),
    now: options.now,
    objects,
    quarantineAges,
    oldestQuarantineDays: oldestQuarantine === null ? null : Math.round(oldestQuarantine * 10) / 10,
    quarantineAgeUnknown,
    quarantineAgeSources,
    chain,
    findings,
    controls: [...CONTROLS, ...(options.extraControls ?? [])].map((c) => {
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
    }),
    notRun,
    ...(isExportSource(source) ? { files: source.files } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    rows
  };
}

const SEVERITY_RANK: Record<Severity, number> = {
  critical: 0,
  high: 1,
  medium: 2,
  low: 3,
  info: 4
};

const PROVENANCE_SELECT =
  'Id, Synthetic_Data__c, Synthetic_Status__c, AI_Model__c, Generated_At__c, Generation_Method__c, Provenance_Source__c, Synthetic_Confidence__c, Synthetic_Reasons__c';

function buildFindings(
  tallies: Map<string, Tally>,
  chain: ChainReport | null,
  options: AuditOptions,
  untrustedModels: Map<string, Map<string, number>>,
  oldestQuarantine: number | null,
  unapprovedSources: Map<string, Map<string, number>>
): Finding[] {
  const findings: Finding[] = [];
  for (const [key, t] of tallies) {
    const [control = '', object = ''] = key.split('|');
    const policy = policyFor(options.policy, object);
    const spec = FINDING_SPECS[control]?.(
      object as GovernedObject,
      policy.requiredFields,
      options,
      (control === SOURCE_APPROVAL_CONTROL.id ? unapprovedSources : untrustedModels).get(object) ??
        new Map<string, number>(),
      oldestQuarantine
    );
    if (spec) findings.push({ control, object, count: t.count, recordIds: t.ids, ...spec });
  }
  if (chain) {
    const eventsQuery =
      'SELECT Sequence__c, Previous_Hash__c, Occurred_At__c, Event_Type__c, Record_Id__c, Object_Type__c, Acting_User__c, Decision__c, Reason_Codes__c, Event_Key__c, Payload__c, Hash__c, Signature__c FROM Synthetic_Audit_Event__c ORDER BY Sequence__c';
    if (!chain.intact && chain.firstBreak) {
      findings.push({
        control: 'SDG-08',
        severity: 'critical',
        title: `Audit chain broken at event ${chain.firstBreak.sequence} (${chain.firstBreak.kind})`,
        object: 'Synthetic_Audit_Event__c',
        count: 1,
        recordIds: [],
        query: eventsQuery,
        detail: chain.firstBreak.detail
      });
    } else if (chain.checkpoints.valid === 0) {
      findings.push({
        control: 'SDG-08',
        severity: 'medium',
        title: 'Audit chain intact but no checkpoint signature was verified',
        object: 'Synthetic_Audit_Event__c',
        count: chain.checkpoints.total,
        recordIds: [],
        query: eventsQuery,
        detail:
          'Configure a signing certificate (Synthetic Audit Settings) and pass its public certificate to the audit, or anchor the head.'
      });
    }
  }
  return findings;
}

function bySeverity(a: Finding, b: Finding): number {
  return (
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    a.control.localeCompare(b.control) ||
    (a.object ?? '').localeCompare(b.object ?? '')
  );
}

type Spec = Pick<Finding, 'severity' | 'title' | 'query' | 'detail'>;
const FINDING_SPECS: Record<
  string,
  (
    object: GovernedObject,
    required: string[],
    options: AuditOptions,
    models: Map<string, number>,
    oldest: number | null
  ) => Spec
> = {
  'SDG-01': (object, required) => ({
    severity: 'high',
    title: `Synthetic ${object} records missing required provenance`,
    query: `SELECT ${PROVENANCE_SELECT} FROM ${object} WHERE Synthetic_Data__c = true AND (${required.map((f) => `${f} = null`).join(' OR ') || 'Id = null'})`,
    detail: `The ${object} policy requires ${required.join(', ') || 'no field'} on synthetic records.`
  }),
  'SDG-02': (object) => ({
    severity: 'medium',
    title: `${object} records whose stored status differs from what the policy decides now`,
    query: `SELECT ${PROVENANCE_SELECT} FROM ${object} WHERE Synthetic_Data__c = true OR Synthetic_Status__c != null`,
    detail:
      'Records classified under an older policy, or loaded while enforcement was bypassed. Run SyntheticBackfillBatch to re-classify them.'
  }),
  'SDG-03': (object) => ({
    severity: 'high',
    title: `${object} records with undisclosed AI signals`,
    query: `SELECT ${PROVENANCE_SELECT} FROM ${object} WHERE Synthetic_Data__c = false AND (AI_Model__c != null OR Generation_Method__c IN ('trainedAlgorithmicMedia','compositeWithTrainedAlgorithmicMedia','algorithmicMedia','compositeSynthetic'))`,
    detail: 'They name an AI model or an AI generation method but are not marked synthetic.'
  }),
  'SDG-04': (object, _required, _options, models) => ({
    severity: 'high',
    title: `Synthetic ${object} records from untrusted or unknown models`,
    query: `SELECT ${PROVENANCE_SELECT} FROM ${object} WHERE Synthetic_Data__c = true AND AI_Model__c != null`,
    detail: `Most frequent: ${[...models]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([m, n]) => `${m} (${n})`)
      .join(', ')}. Register trusted models in Trusted AI Sources.`
  }),
  'SDG-05': (object, _required, options, _models, oldest) => ({
    severity: (oldest ?? 0) > options.slaDays * 2 ? 'high' : 'medium',
    title: `Quarantined ${object} records waiting longer than the ${options.slaDays}-day review SLA`,
    query: `SELECT ${PROVENANCE_SELECT}, CreatedDate FROM ${object} WHERE Synthetic_Status__c = 'Quarantined' AND CreatedDate < LAST_N_DAYS:${options.slaDays} ORDER BY CreatedDate`,
    detail: `Oldest quarantined record: ${oldest === null ? 'n/a' : Math.round(oldest)} days.`
  }),
  'SDG-06': (object) => ({
    severity: 'medium',
    title: `Synthetic ${object} records that sync jobs must hold back`,
    query: `SELECT ${PROVENANCE_SELECT} FROM ${object} WHERE Synthetic_Data__c = true AND Synthetic_Status__c NOT IN ('Quarantined','Rejected')`,
    detail: `The ${object} policy does not allow synthetic records in sync: every integration must call SyntheticDataFilter (or its Flow action) before sending these.`
  }),
  'SDG-07': (object) => ({
    severity: 'medium',
    title: `${object} records whose synthetic flag differs from their account's`,
    query: `SELECT Id, AccountId, Synthetic_Data__c, Account.Synthetic_Data__c FROM ${object} WHERE AccountId != null`,
    detail:
      'Mixed lineage: authentic and synthetic records share one account, so pipeline and service reports mix them. Report on the Synthetic report types to separate them.'
  }),
  [SOURCE_APPROVAL_CONTROL.id]: (object, _required, options, values) =>
    sourceApprovalSpec(object, options.policy.trustedSources, options.now, values),
  'SDG-09': (object) => ({
    severity: 'high',
    title: `${object} records without any audit event`,
    query: `SELECT Id FROM ${object} WHERE Id NOT IN (SELECT Record_Id__c FROM Synthetic_Audit_Event__c)`,
    detail:
      'Records that entered while the package was not installed, or whose events are missing. Run SyntheticBackfillBatch; investigate if they are recent.'
  })
};
