import { policyFor, PolicySet } from '../policy/package-policy';
import { TrustedSourceRegistry } from '../policy/trusted-source-registry';
import { GovernedObject, PROVENANCE_FIELDS } from '../provenance-model/schema';
import { MAX_IDS } from './findings';
import { ExportRow, field } from './record-reader';
import { RecordVerdicts } from './record-verdicts';
import { SOURCE_APPROVAL_CONTROL } from './source-approval-control';
import { EntrySource, eventEntry, fieldEntry } from './status-entry';

/** Counts per object, for the report's charts. */
export interface ObjectStats {
  records: number;
  synthetic: number;
  byStatus: Record<string, number>;
  /** Records carrying no provenance value at all (the pre-install audit counts these). */
  withoutProvenance: number;
}

/** A control's records on one object: an exact count and the first MAX_IDS ids. */
export class Tally {
  count = 0;
  ids: string[] = [];
  add(id: string): void {
    this.count++;
    // A copy: a parsed id is a slice of its 64 KiB parse piece, which holding it would keep.
    if (this.ids.length < MAX_IDS) this.ids.push(Buffer.from(id, 'utf8').toString('utf8'));
  }
}

const SERVICE_REASONS = ['BULK_INJECTION_LIMIT', 'RECALLED', 'RETENTION_EXPIRED'];

export const AGE_BUCKETS: [string, number][] = [
  ['< 1 day', 1],
  ['1-3 days', 3],
  ['3-7 days', 7],
  ['7-14 days', 14],
  ['14-30 days', 30],
  ['30+ days', Infinity]
];

const PROVENANCE_NAMES = Object.values(PROVENANCE_FIELDS);

/** Whether a record carries any provenance value (a checkbox left false carries none). */
function carriesProvenance(row: ExportRow): boolean {
  for (const name of PROVENANCE_NAMES) {
    const value = field(row, name);
    if (value !== '' && value !== 'false' && value !== '0') return true;
  }
  return false;
}

/** Whether a volume guard, a recall or retention set the stored reasons (no closure per row). */
function setByService(reasons: string): boolean {
  for (const code of SERVICE_REASONS) if (reasons.includes(code)) return true;
  return false;
}

/** When the export's own fields say a quarantined record entered quarantine (see fieldEntry). */
export type Fallback = { source: EntrySource; at: string } | null | undefined;

/** What the record audit is told about each record's coverage probe (SDG-09, SDG-05). */
export type CoverageProbe = (object: GovernedObject, id: string, fallback: Fallback) => void;

/** What the record audit needs to know of the audit. */
export interface RecordAuditOptions {
  policy: PolicySet;
  now: string;
  slaDays: number;
  /** Why SDG-15 cannot run (it is then not tallied). */
  registryGap?: string | null;
}

/**
 * The per-record controls (SDG-01 to SDG-07, SDG-15, and the quarantine ages of SDG-05): one
 * record at a time, holding counters, tallies and the per-object model and source counts. The
 * coverage join (SDG-09) and the lineage join (SDG-07) are the caller's: each record's probes go
 * to `coverage` and `lineage`.
 */
export class RecordAudit {
  readonly objects: Record<string, ObjectStats> = {};
  readonly quarantineAges: Record<string, number> = Object.fromEntries(
    AGE_BUCKETS.map(([label]) => [label, 0])
  );
  oldestQuarantine: number | null = null;
  quarantineAgeUnknown = 0;
  readonly quarantineAgeSources: Partial<Record<EntrySource, number>> = {};
  readonly tallies = new Map<string, Tally>();
  /** Per object: SDG-04 names each object's own most frequent models, not the org's. */
  readonly untrustedModels = new Map<string, Map<string, number>>();
  /** Per object: SDG-15 names the unapproved models and sources most records come from. */
  readonly unapprovedSources = new Map<string, Map<string, number>>();
  rows = 0;
  private readonly now: number;
  private readonly verdicts: RecordVerdicts;

  constructor(
    private readonly options: RecordAuditOptions,
    /** A record's coverage probe; its fallback is undefined unless it is quarantined. */
    private readonly coverage: CoverageProbe,
    /** An Account's id when it is synthetic (the lineage join's key side). */
    private readonly syntheticAccount: (id: string) => void,
    /** A child record's lineage probe: its account's id and its payload (object, id, flag). */
    private readonly lineage: (accountId: string, payload: string) => void
  ) {
    this.now = Date.parse(options.now);
    this.verdicts = new RecordVerdicts(
      new TrustedSourceRegistry(options.policy.trustedSources),
      options.now
    );
  }

  /** The tally of a control on an object. */
  tally(control: string, object: string): Tally {
    const key = `${control}|${object}`;
    let t = this.tallies.get(key);
    if (!t) this.tallies.set(key, (t = new Tally()));
    return t;
  }

  /** Ages a quarantined record from when it entered quarantine (SDG-05 past the SLA). */
  ageQuarantined(object: string, id: string, at: string, source: EntrySource): void {
    const entered = Date.parse(at);
    if (Number.isNaN(entered)) {
      this.quarantineAgeUnknown++;
      return;
    }
    this.quarantineAgeSources[source] = (this.quarantineAgeSources[source] ?? 0) + 1;
    const days = (this.now - entered) / 86_400_000;
    this.oldestQuarantine = Math.max(this.oldestQuarantine ?? 0, days);
    const bucket = AGE_BUCKETS.find(([, limit]) => days < limit)?.[0] ?? '30+ days';
    this.quarantineAges[bucket] = (this.quarantineAges[bucket] ?? 0) + 1;
    if (days > this.options.slaDays) this.tally('SDG-05', object).add(id);
  }

  /**
   * A coverage probe's answer. Payload: object, id, and for a quarantined record the export's
   * fallback source and time; `value` is the record's status entry from its audit events.
   */
  readonly onCoverage = (payload: string, found: boolean, value: string): void => {
    const [object = '', id = '', source, at = ''] = payload.split('\t');
    if (!found) this.tally('SDG-09', object).add(id);
    if (source === undefined) return;
    const fromEvents = eventEntry(value, 'Quarantined');
    if (fromEvents !== null) this.ageQuarantined(object, id, fromEvents, 'audit events');
    else if (source === '') this.quarantineAgeUnknown++;
    else this.ageQuarantined(object, id, at, source as EntrySource);
  };

  /** A coverage probe's payload when no event was read: the export's own dates age a record. */
  readonly onUncovered = (payload: string): void => {
    const [object = '', id = '', source, at = ''] = payload.split('\t');
    if (source === undefined) return;
    if (source === '') this.quarantineAgeUnknown++;
    else this.ageQuarantined(object, id, at, source as EntrySource);
  };

  /** A lineage probe's answer (SDG-07: a child's flag differs from its account's). */
  readonly onLineage = (payload: string, found: boolean): void => {
    const [object = '', id = '', synthetic] = payload.split('\t');
    if (found !== (synthetic === '1')) this.tally('SDG-07', object).add(id);
  };

  /** A record whose coverage is not probed (no audit events): ages it from its own fields. */
  ageFromFields(object: string, id: string, fallback: Fallback): void {
    if (fallback === null) this.quarantineAgeUnknown++;
    else if (fallback) this.ageQuarantined(object, id, fallback.at, fallback.source);
  }

  private count(map: Map<string, Map<string, number>>, object: string, value: string): void {
    let counts = map.get(object);
    if (!counts) map.set(object, (counts = new Map<string, number>()));
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }

  /** Audits one record. */
  row(object: GovernedObject, row: ExportRow): void {
    const policy = policyFor(this.options.policy, object);
    const stats: ObjectStats = (this.objects[object] ??= {
      records: 0,
      synthetic: 0,
      byStatus: {},
      withoutProvenance: 0
    });
    this.rows++;
    stats.records++;
    const id = field(row, 'Id') || row.key || '';
    const verdict = this.verdicts.of(object, row, policy);
    if (!carriesProvenance(row)) stats.withoutProvenance++;
    const { status, synthetic } = verdict;
    stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
    if (synthetic) {
      stats.synthetic++;
      if (object === 'Account') this.syntheticAccount(id);
      if (verdict.missingRequired) this.tally('SDG-01', object).add(id);
      if (verdict.untrustedModel !== null) {
        this.tally('SDG-04', object).add(id);
        this.count(this.untrustedModels, object, verdict.untrustedModel);
      }
      if (verdict.heldBack) this.tally('SDG-06', object).add(id);
    } else if (verdict.undisclosedAi) this.tally('SDG-03', object).add(id);

    if (!this.options.registryGap) {
      const unapproved = this.verdicts.unapproved(verdict);
      if (unapproved.length) {
        this.tally(SOURCE_APPROVAL_CONTROL.id, object).add(id);
        for (const value of unapproved) this.count(this.unapprovedSources, object, value);
      }
    }

    const storedReasons = field(row, PROVENANCE_FIELDS.syntheticReasons);
    // Statuses set by a volume guard, a recall or retention are not the policy's to re-derive.
    if (!setByService(storedReasons) && this.verdicts.decided(verdict, policy) !== status)
      this.tally('SDG-02', object).add(id);

    const accountId = field(row, 'AccountId').replace(/^@/, '');
    if (object !== 'Account' && object !== 'Lead' && accountId)
      this.lineage(accountId, `${object}\t${id}\t${synthetic ? 1 : 0}`);
    this.coverage(
      object,
      id,
      status === 'Quarantined' ? fieldEntry(row, storedReasons) : undefined
    );
  }
}
