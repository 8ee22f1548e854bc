import { decisionEligibility } from '../policy/automated-decisions';
import { policyFor, PolicySet } from '../policy/package-policy';
import { GovernedObject, HISTORY_OBJECTS } from '../provenance-model/schema';
import { readCsvRecords } from './csv-stream';
import { ExportEntry, openContainer } from './export-container';
import { objectFileStem } from './export-inventory';
import { ExportFormatError } from '../audit-chain/export-format-error';
import { checkbox } from './record-reader';
import { GroupSpill } from './group-spill';
import type { Control, Finding, NotRun, Severity } from './findings';
import { MAX_IDS } from './findings';

/** SDG-13: automated decisions recorded on records their policy keeps out of them (GDPR Art. 22). */
export const AUTOMATED_DECISIONS_CONTROL: Control = {
  id: 'SDG-13',
  title: 'No automated decisions recorded on records kept out of them (GDPR Art. 22)'
};

/** The package's quarantine queue: its label (a history name row) and its DeveloperName (Group.csv). */
const QUARANTINE_QUEUE = {
  name: 'Synthetic Data Quarantine',
  developerName: 'Synthetic_Quarantine'
};
/** A queue's Id (key prefix 00G), 15 or 18 characters. */
const QUEUE_ID = /^00G[0-9A-Za-z]{12}(?:[0-9A-Za-z]{3})?$/;

/**
 * Queues that hold records back, so routing into one is not a decision: Ids match the history's
 * Id row (DataType EntityId), names its name row (exports without the Id row, or without Group.csv).
 */
export interface HoldingQueues {
  ids: Set<string>;
  names: Set<string>;
}

const id15 = (id: string): string => id.slice(0, 15);
/** Fields a scoring job or an admin's scoring sets (custom score fields, the standard Rating). */
const SCORE_FIELD = /score|^rating$/i;
const STATUS = 'Synthetic_Status__c';
const FLAG = 'Synthetic_Data__c';

interface Change {
  at: string;
  field: string;
  oldValue: string;
  newValue: string;
  dataType: string;
}

/**
 * A count, and the first MAX_IDS distinct ids in record order (`seq`, the record's place in the
 * object's files), whatever order they are added in: a spilled join answers a partition at a time.
 */
class Tally {
  count = 0;
  private first: { id: string; seq: number }[] = [];
  add(id: string, seq: number): void {
    this.count++;
    const at = this.first.findIndex((e) => e.id === id);
    if (at >= 0) {
      if (this.first[at]!.seq <= seq) return;
      this.first.splice(at, 1);
    }
    const last = this.first[this.first.length - 1];
    if (this.first.length >= MAX_IDS && last && last.seq < seq) return;
    const before = this.first.findIndex((e) => e.seq > seq);
    this.first.splice(before < 0 ? this.first.length : before, 0, { id, seq });
    if (this.first.length > MAX_IDS) this.first.pop();
  }
  get ids(): string[] {
    return this.first.map((e) => e.id);
  }
}

/** What SDG-13 found, and where it could not run. */
export interface DecisionAuditResult {
  findings: Finding[];
  notRun: NotRun[];
}

/** An object's CSV files: one, or one per zip of a Data Export set holding part of it. */
function entriesNamed(entries: ExportEntry[], name: string): ExportEntry[] {
  return entries.filter(
    (e) => /\.csv$/i.test(e.name) && objectFileStem(e.name).toLowerCase() === name.toLowerCase()
  );
}

/**
 * The value a tracked field had right after the save at `at`: the latest change at or before it,
 * else the old value of the first change after it, else the record's value now.
 */
export function valueAt(changes: Change[], field: string, at: string, now: string): string {
  const own = changes.filter((c) => c.field === field);
  let value: string | null = null;
  for (const change of own) if (change.at <= at) value = change.newValue;
  if (value !== null) return value;
  const after = own.find((c) => c.at > at);
  return after ? after.oldValue : now;
}

/**
 * The package's quarantine queue and the admin's holding queues (`--holding-queue`, a name,
 * DeveloperName or Id each). Group.csv, when the export has it, turns names into Ids, so a
 * renamed or translated queue label still matches by the history's Id row.
 */
export async function holdingQueues(
  entries: ExportEntry[],
  configured: readonly string[] = []
): Promise<HoldingQueues> {
  const wanted = new Set([QUARANTINE_QUEUE.developerName, QUARANTINE_QUEUE.name, ...configured]);
  const ids = new Set(configured.filter((q) => QUEUE_ID.test(q)).map(id15));
  const names = new Set([QUARANTINE_QUEUE.name, ...configured.filter((q) => !QUEUE_ID.test(q))]);
  const known = ['Id', 'Name', 'DeveloperName', 'Type'];
  for (const groups of entriesNamed(entries, 'Group'))
    for await (const { fields } of readCsvRecords(groups, known, () => undefined)) {
      if ((fields.Type ?? 'Queue') !== 'Queue' || !fields.Id) continue;
      if (wanted.has(fields.DeveloperName ?? '') || wanted.has(fields.Name ?? ''))
        ids.add(id15(fields.Id));
    }
  return { ids, names };
}

function intoHoldingQueue(change: { dataType: string; newValue: string }, queues: HoldingQueues) {
  return change.dataType === 'EntityId'
    ? queues.ids.has(id15(change.newValue))
    : queues.names.has(change.newValue);
}

/**
 * What the control reads of one history row, as JSON (the join's value): an owner row (`O`, or
 * `H` when it routes the record into a holding queue), a score set (`S`), or a change of the tracked
 * Synthetic_Status__c or Synthetic_Data__c (`T`, with the old and new values).
 */
type Fact = ['O' | 'H' | 'S', string] | ['T', string, string, string, string];

function factOf(fields: Record<string, string>, queues: HoldingQueues): Fact | null {
  const field = fields.Field ?? '';
  const score = SCORE_FIELD.test(field);
  if (field !== 'Owner' && field !== STATUS && field !== FLAG && !score) return null;
  const time = Date.parse(fields.CreatedDate ?? '');
  if (Number.isNaN(time)) return null;
  const at = new Date(time).toISOString();
  const newValue = fields.NewValue ?? '';
  if (field === 'Owner') {
    const held = intoHoldingQueue({ dataType: fields.DataType ?? '', newValue }, queues);
    return [held ? 'H' : 'O', at];
  }
  // A score cleared is no decision to score.
  if (score) return newValue === '' ? null : ['S', at];
  return ['T', at, field, fields.OldValue ?? '', newValue];
}

/** A record's place in its object's files and the values SDG-13 reads from it now. */
type RecordNow = [seq: number, id: string, flag: string, status: string];

/**
 * Whether a record was re-owned and whether it was scored while ineligible: each owner save (the
 * rows of one time, none into a holding queue) and each score set is judged by the record's
 * state right after it, rebuilt from its status and flag changes (else its values now).
 */
function decided(
  facts: readonly string[],
  [, , flag, status]: RecordNow,
  setting: ReturnType<typeof policyFor>['automatedDecisions']
): { owner: boolean; score: boolean } {
  const tracked: Change[] = [];
  const saves = new Map<string, boolean>();
  const scores: string[] = [];
  for (const line of facts) {
    const fact = JSON.parse(line) as Fact;
    if (fact[0] === 'T') {
      const [, at, field, oldValue, newValue] = fact;
      tracked.push({ at, field, oldValue, newValue, dataType: '' });
    } else if (fact[0] === 'S') scores.push(fact[1]);
    // Routing a record into a holding queue (the package's or the admin's) is not a decision.
    else saves.set(fact[1], saves.get(fact[1]) === true || fact[0] === 'H');
  }
  tracked.sort((a, b) => a.at.localeCompare(b.at));
  const eligibleAt = (at: string) =>
    decisionEligibility(setting, {
      Synthetic_Data__c: String(checkbox(valueAt(tracked, FLAG, at, flag))),
      Synthetic_Status__c: valueAt(tracked, STATUS, at, status)
    }).allowed;
  return {
    owner: [...saves].some(([at, held]) => !held && !eligibleAt(at)),
    score: scores.some((at) => !eligibleAt(at))
  };
}

/** Reads an object's history files into the join: each row's fact under its record's Id. */
async function readHistory(
  historyEntries: ExportEntry[],
  parent: string,
  queues: HoldingQueues,
  join: GroupSpill<RecordNow>
): Promise<void> {
  for (const entry of historyEntries) {
    const checkHeader = (header: string[]) => {
      const missing = [parent, 'Field', 'CreatedDate', 'NewValue'].filter(
        (c) => !header.includes(c)
      );
      if (missing.length)
        throw new ExportFormatError(
          `${entry.where}: not a field history export: no ${missing.join(', ')} column.`
        );
    };
    const known = [parent, 'Field', 'OldValue', 'NewValue', 'CreatedDate', 'DataType'];
    for await (const { fields } of readCsvRecords(entry, known, checkHeader)) {
      const fact = factOf(fields, queues);
      if (fact) join.add(fields[parent] ?? '', JSON.stringify(fact));
    }
  }
}

function finding(
  object: string,
  kind: 'owner' | 'score' | 'carries',
  tally: Tally,
  history: { name: string; parent: string }
): Finding {
  const held = `SELECT Id FROM ${object} WHERE Synthetic_Data__c = true OR Synthetic_Status__c IN ('Flagged','Quarantined','Rejected')`;
  const specs: Record<
    typeof kind,
    { severity: Severity; title: string; query: string; detail: string }
  > = {
    owner: {
      severity: 'high',
      title: `${object} records re-owned while their policy kept them out of automated decisions`,
      query: `SELECT ${history.parent}, Field, OldValue, NewValue, DataType, CreatedDate, CreatedById FROM ${history.name} WHERE Field IN ('Owner','Synthetic_Status__c','Synthetic_Data__c') AND ${history.parent} IN (${held}) ORDER BY ${history.parent}, CreatedDate`,
      detail: `An owner change (assignment rule, routing, a user or a job) on a record that was flagged, quarantined or rejected, or synthetic under an Exclude_All_Synthetic policy, when it happened. Add "Automated Decision Eligible equals False" as the first entry of the ${object} assignment rule (docs/policy.md, Automated decisions), and check what re-owned these records (CreatedById).`
    },
    score: {
      severity: 'medium',
      title: `${object} records scored while their policy kept them out of automated decisions`,
      query: `SELECT ${history.parent}, Field, OldValue, NewValue, CreatedDate, CreatedById FROM ${history.name} WHERE ${history.parent} IN (${held}) ORDER BY ${history.parent}, CreatedDate`,
      detail:
        'A score or rating field changed on an ineligible record. Scoring jobs and Flows must ask "May this record feed an automated decision?" or filter on Automated_Decision_Eligible__c first.'
    },
    carries: {
      severity: 'low',
      title: `Ineligible ${object} records carrying a score`,
      query: `SELECT Id, Synthetic_Data__c, Synthetic_Status__c, Automated_Decision_Eligible__c FROM ${object} WHERE Automated_Decision_Eligible__c = false`,
      detail:
        'They hold a score or rating now; the export cannot say whether it was set before the record became ineligible. Clear it or keep it out of decisions.'
    }
  };
  return {
    control: AUTOMATED_DECISIONS_CONTROL.id,
    object,
    count: tally.count,
    recordIds: tally.ids,
    ...specs[kind]
  };
}

type Tallies = Record<'owner' | 'score' | 'carries', Tally>;

/**
 * One record file of an object: SDG-13's carries count at once, and each record's probe of its
 * field history (answered at once, or at `finish` when the history spilled to disk). Returns the
 * next record's `seq`.
 */
async function tallyRecords(
  records: ExportEntry,
  context: {
    setting: ReturnType<typeof policyFor>['automatedDecisions'];
    join: GroupSpill<RecordNow>;
    answer: (record: RecordNow, facts: readonly string[]) => void;
    tallies: Tallies;
    seq: number;
  }
): Promise<number> {
  const { setting, join, answer, tallies } = context;
  let seq = context.seq;
  const scoreColumns: string[] = [];
  const checkHeader = (header: string[]) => {
    if (!header.includes('Id')) throw new ExportFormatError(`${records.where}: no Id column.`);
    scoreColumns.push(...header.filter((h) => SCORE_FIELD.test(h)));
  };
  for await (const { fields } of readCsvRecords(records, ['Id', STATUS, FLAG], checkHeader)) {
    const id = fields.Id ?? '';
    const status = fields[STATUS] ?? '';
    const flag = String(checkbox(fields[FLAG] ?? ''));
    const eligibleNow = decisionEligibility(setting, {
      Synthetic_Data__c: flag,
      Synthetic_Status__c: status
    }).allowed;
    if (!eligibleNow && scoreColumns.some((c) => (fields[c] ?? '').trim() !== ''))
      tallies.carries.add(id, seq);
    join.probe(id, [seq++, id, flag, status], answer);
  }
  return seq;
}

/**
 * An object's records against its field history, with memory bounded by `memoryLimit` history
 * facts (then the join spills to temporary files, removed when it ends).
 */
async function auditObject(
  recordEntries: ExportEntry[],
  historyEntries: ExportEntry[],
  context: {
    parent: string;
    setting: ReturnType<typeof policyFor>['automatedDecisions'];
    queues: HoldingQueues;
    memoryLimit?: number;
  }
): Promise<Tallies> {
  const { parent, setting, queues } = context;
  const tallies = { owner: new Tally(), score: new Tally(), carries: new Tally() };
  const join = new GroupSpill<RecordNow>('history', context.memoryLimit);
  const answer = (record: RecordNow, facts: readonly string[]) => {
    if (!facts.length) return;
    const { owner, score } = decided(facts, record, setting);
    if (owner) tallies.owner.add(record[1], record[0]);
    if (score) tallies.score.add(record[1], record[0]);
  };
  try {
    await readHistory(historyEntries, parent, queues, join);
    let seq = 0;
    for (const records of recordEntries)
      seq = await tallyRecords(records, { setting, join, answer, tallies, seq });
    join.finish(answer);
  } finally {
    join.close();
  }
  return tallies;
}

function allowedMissing(allowMissing: string[], object: string): boolean {
  const names = allowMissing.map((n) => n.toLowerCase());
  return names.includes('history') || names.includes(object.toLowerCase());
}

/**
 * SDG-13 on an export folder or zip: for each governed object with a record file (`Lead.csv`)
 * and a field history file (`LeadHistory.csv`, as the weekly Data Export names them), the owner
 * and score changes made while the record was ineligible under its object's Automated_Decisions__c
 * setting (today's policy), the record's state at that time rebuilt from the tracked
 * Synthetic_Status__c and Synthetic_Data__c history. Without a history file the object is
 * "not run", with the reason. Of each history row only what the control reads is kept (a kind
 * and a time; old and new values for status and flag changes), grouped by record; past
 * `options.memoryLimit` of them (100,000 by default, as the audit's other joins) the join spills
 * to temporary files.
 */
export async function auditAutomatedDecisions(
  from: string,
  policy: PolicySet,
  objects: readonly GovernedObject[],
  allowMissing: string[] = [],
  holdingQueueNames: readonly string[] = [],
  options: { memoryLimit?: number } = {}
): Promise<DecisionAuditResult> {
  const container = await openContainer(from);
  const findings: Finding[] = [];
  const notRun: NotRun[] = [];
  try {
    const queues = await holdingQueues(container.entries, holdingQueueNames);
    let ran = 0;
    for (const object of objects) {
      const recordEntries = entriesNamed(container.entries, object);
      if (!recordEntries.length) continue;
      const history = HISTORY_OBJECTS[object];
      const historyEntries = entriesNamed(container.entries, history.name);
      if (!historyEntries.length) {
        notRun.push({
          control: AUTOMATED_DECISIONS_CONTROL.id,
          title: AUTOMATED_DECISIONS_CONTROL.title,
          object,
          reason: `the export has no ${history.name}.csv (field history: ${history.parent}, Field, OldValue, NewValue, CreatedDate), so owner and score changes cannot be dated`,
          allowed: allowedMissing(allowMissing, object)
        });
        continue;
      }
      ran++;
      const tallies = await auditObject(recordEntries, historyEntries, {
        parent: history.parent,
        setting: policyFor(policy, object).automatedDecisions,
        queues,
        memoryLimit: options.memoryLimit
      });
      for (const kind of ['owner', 'score', 'carries'] as const)
        if (tallies[kind].count) findings.push(finding(object, kind, tallies[kind], history));
    }
    if (ran === 0)
      notRun.push({
        control: AUTOMATED_DECISIONS_CONTROL.id,
        title: AUTOMATED_DECISIONS_CONTROL.title,
        object: null,
        reason:
          'no governed object has both a record file and its field history file (LeadHistory.csv, CaseHistory.csv, …); export field history with the records, or accept the gap with --allow-missing history',
        allowed:
          allowedMissing(allowMissing, 'history') ||
          (notRun.length > 0 && notRun.every((g) => g.allowed))
      });
  } finally {
    container.close();
  }
  return { findings, notRun };
}
