import type { AuditEvent } from '../audit-chain/canonical';
import { UsageError } from '../cli/errors';
import { Severity, SEVERITIES, severityOf, WIRE_SEVERITIES } from './alert';
import { resolvePlaybook } from './playbook-link';

/** What counts as "the same alert" (`Dedupe_By__c`). */
export const DEDUPE_BY = ['Rule', 'Object', 'Record', 'Source'] as const;
export type DedupeBy = (typeof DEDUPE_BY)[number];

/** What a Threshold rule watches (`Metric__c`). */
export const METRICS = [
  'Synthetic_Per_Source_Hour',
  'Quarantine_Backlog',
  'Oldest_Quarantine_Days',
  'Disclosure_Rate'
] as const;
export type Metric = (typeof METRICS)[number];

/**
 * One `Synthetic_Alert_Rule__mdt` record (Apex twin: `AlertRule`). Blank lists match anything;
 * every criterion that is set must hold.
 */
export interface AlertRule {
  name: string;
  label: string;
  active: boolean;
  kind: 'Event' | 'Threshold';
  severity: Severity;
  channels: string[];
  dedupeWindowMinutes: number;
  dedupeBy: DedupeBy;
  playbookUrl: string | null;
  eventTypes: string[];
  decisions: string[];
  reasonCodes: string[];
  objects: string[];
  minConfidence: number | null;
  mediaVerdicts: string[];
  bypassUsed: boolean;
  chainBreak: boolean;
  metric: Metric | null;
  /** Above it the metric alerts; for Disclosure_Rate (percent) below it. */
  threshold: number | null;
}

/** A rule record that cannot be used: which record and which field, and why. */
export class RuleFileError extends UsageError {}

/** A rule record's fields by API name, however it was read (package XML, JSON file, SOQL). */
export type RuleFields = (field: string) => unknown;

/** Scalars as text (what a field or a payload value can hold); anything else is not text. */
function scalar(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

const list = (value: string | null) =>
  (value ?? '')
    .split(/[;,]/)
    .map((v) => v.trim())
    .filter(Boolean);

const flag = (value: unknown) => value === true || String(value).toLowerCase() === 'true';

/**
 * Builds a rule from its custom metadata fields, refusing what the org's validation rules would
 * refuse. `where` names the record in errors ("rules.json: rule 2 (Name)").
 */
export function toAlertRule(get: RuleFields, where: string): AlertRule {
  const fail = (field: string, why: string): never => {
    throw new RuleFileError(`${where}: ${field} ${why}`);
  };
  const text = (field: string): string | null => {
    const value = get(field);
    if (value === null || value === undefined || value === '') return null;
    const textValue = scalar(value);
    if (textValue === null) return fail(field, `must be text, got ${JSON.stringify(value)}.`);
    return textValue.trim();
  };
  const number = (field: string, min: number): number | null => {
    const value = text(field);
    if (value === null) return null;
    const n = Number(value);
    if (!Number.isFinite(n) || n < min)
      fail(field, `must be a number of at least ${min}, got ${JSON.stringify(get(field))}.`);
    return n;
  };
  const oneOf = <T extends string>(field: string, allowed: readonly T[], fallback?: T): T => {
    const value = text(field) ?? fallback;
    if (value === undefined) return fail(field, `is required: one of ${allowed.join(', ')}.`);
    if (!allowed.includes(value as T))
      fail(field, `must be one of ${allowed.join(', ')}, got "${value}".`);
    return value as T;
  };
  const items = (field: string) => list(text(field));
  // The org's picklist says critical, error, warning, info; a rule file may use either scale.
  const severityField = (): Severity => {
    const value = text('Severity__c');
    const words = `${SEVERITIES.join(', ')} (or the org's ${WIRE_SEVERITIES.join(', ')})`;
    if (value === null) return fail('Severity__c', `is required: one of ${words}.`);
    return severityOf(value) ?? fail('Severity__c', `must be one of ${words}, got "${value}".`);
  };
  const name = text('DeveloperName');
  if (!name || !/^[A-Za-z][A-Za-z0-9_]{0,39}$/.test(name))
    fail(
      'DeveloperName',
      `must be a developer name (letters, digits, _), got ${JSON.stringify(name)}.`
    );
  const kind = oneOf('Kind__c', ['Event', 'Threshold'] as const, 'Event');
  const metric = text('Metric__c') === null ? null : oneOf('Metric__c', METRICS);
  const threshold = number('Threshold__c', 0);
  if (kind === 'Threshold' && (metric === null || threshold === null))
    fail(metric === null ? 'Metric__c' : 'Threshold__c', 'is required for a Threshold rule.');
  const confidence = number('Min_Confidence__c', 0);
  if (confidence !== null && confidence > 100)
    fail('Min_Confidence__c', `must be 0 to 100, got ${confidence}.`);
  return {
    name: name as string,
    label: text('MasterLabel') ?? text('Label') ?? (name as string),
    active: get('Active__c') === undefined ? true : flag(get('Active__c')),
    kind,
    severity: severityField(),
    channels: items('Channels__c'),
    dedupeWindowMinutes: number('Dedupe_Window_Minutes__c', 0) ?? 0,
    dedupeBy: oneOf('Dedupe_By__c', DEDUPE_BY, 'Object'),
    // As Apex PlaybookLink resolves it without a base URL (the org setting sdg cannot see): an
    // admin's absolute link, else the rule's relative path.
    playbookUrl: resolvePlaybook(text('Playbook_URL__c'), text('Playbook_Path__c')),
    eventTypes: items('Event_Types__c'),
    decisions: items('Decisions__c').map((d) => d.toUpperCase()),
    reasonCodes: items('Reason_Codes__c').map((r) => r.toUpperCase()),
    objects: items('Objects__c'),
    minConfidence: confidence,
    mediaVerdicts: items('Media_Verdicts__c').map((v) => v.toLowerCase()),
    bypassUsed: flag(get('Bypass_Used__c')),
    chainBreak: flag(get('Chain_Break__c')),
    metric,
    threshold
  };
}

/** An alert as replay and the org's raiser compute it, before any channel sees it. */
export interface RaisedAlert {
  rule: string;
  severity: Severity;
  dedupKey: string;
  count: number;
  records: string[];
  reasonCodes: string[];
  objectType: string | null;
  firstSeen: string;
  lastSeen: string;
}

/** The parts of an audit event's payload the rules read. */
interface EventFacts {
  bypass: string | null;
  provenanceSource: string | null;
  confidence: number | null;
  verdicts: string[];
}

function factsOf(event: AuditEvent): EventFacts {
  let payload: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(event.payload || '{}');
    if (parsed && typeof parsed === 'object') payload = parsed as Record<string, unknown>;
  } catch {
    // An unreadable payload matches only rules that do not look inside it.
  }
  const str = scalar;
  const confidence = str(payload.syntheticConfidence);
  const evidence = str(payload.evidence) ?? '';
  return {
    bypass: str(payload.bypass),
    provenanceSource: str(payload.provenanceSource),
    confidence: confidence === null || Number.isNaN(Number(confidence)) ? null : Number(confidence),
    // MediaScanJob writes "ContentVersion <Id>: <verdict> (<source type>)", one per file.
    verdicts: [...evidence.matchAll(/ContentVersion \w+: ([a-z-]+)/g)].map((m) => m[1] ?? '')
  };
}

const codesOf = (event: AuditEvent) => list(event.reasonCodes).map((r) => r.toUpperCase());

/** Whether an audit event matches an Event rule (chain-break rules match no single event). */
export function matches(rule: AlertRule, event: AuditEvent): boolean {
  if (!rule.active || rule.kind !== 'Event' || rule.chainBreak) return false;
  const facts = factsOf(event);
  const codes = codesOf(event);
  return (
    (!rule.eventTypes.length || rule.eventTypes.includes(event.eventType)) &&
    (!rule.decisions.length || rule.decisions.includes((event.decision || '').toUpperCase())) &&
    (!rule.reasonCodes.length || rule.reasonCodes.some((r) => codes.includes(r))) &&
    (!rule.objects.length || rule.objects.includes(event.objectType)) &&
    (rule.minConfidence === null ||
      (facts.confidence !== null && facts.confidence >= rule.minConfidence)) &&
    (!rule.mediaVerdicts.length || rule.mediaVerdicts.some((v) => facts.verdicts.includes(v))) &&
    (!rule.bypassUsed || facts.bypass !== null || event.eventType === 'Bypass')
  );
}

/** The dedupe key of a match: the rule, then what the alert is about per `Dedupe_By__c`. */
export function dedupKeyOf(rule: AlertRule, event: AuditEvent): string {
  switch (rule.dedupeBy) {
    case 'Rule':
      return rule.name;
    case 'Record':
      return `${rule.name}:${event.recordId || event.eventKey}`;
    case 'Source':
      return `${rule.name}:${factsOf(event).provenanceSource ?? 'unknown'}`;
    default:
      return `${rule.name}:${event.objectType || 'none'}`;
  }
}

const MINUTE_MS = 60_000;

/**
 * Folds matches into alerts, as the org's raiser does: a match whose dedupe key has an alert
 * opened at most the rule's window away from it adds to that alert; otherwise it opens a new
 * one. Events are taken in the order given (the chain's order).
 */
export class AlertFolder {
  readonly alerts: RaisedAlert[] = [];
  private readonly open = new Map<string, RaisedAlert>();
  private readonly openedAt = new Map<string, number>();

  constructor(private readonly rules: AlertRule[]) {}

  push(event: AuditEvent): void {
    for (const rule of this.rules) {
      if (!matches(rule, event)) continue;
      this.add(rule, dedupKeyOf(rule, event), event.occurredAt, event.objectType || null, {
        record: event.recordId,
        codes: codesOf(event)
      });
    }
  }

  /** A chain that no longer verifies raises every active chain-break rule once. */
  chainBroken(at: string): void {
    for (const rule of this.rules)
      if (rule.active && rule.chainBreak) this.add(rule, rule.name, at, null, { codes: [] });
  }

  add(
    rule: AlertRule,
    dedupKey: string,
    at: string,
    objectType: string | null,
    found: { record?: string; codes: string[] }
  ): void {
    let alert = this.open.get(dedupKey);
    const windowMs = rule.dedupeWindowMinutes * MINUTE_MS;
    const time = Date.parse(at);
    // Distance either way: events of concurrent transactions reach the chain slightly out of order.
    if (
      !alert ||
      windowMs === 0 ||
      Math.abs(time - (this.openedAt.get(dedupKey) ?? time)) > windowMs
    ) {
      alert = {
        rule: rule.name,
        severity: rule.severity,
        dedupKey,
        count: 0,
        records: [],
        reasonCodes: [],
        objectType,
        firstSeen: at,
        lastSeen: at
      };
      this.alerts.push(alert);
      this.open.set(dedupKey, alert);
      this.openedAt.set(dedupKey, time);
    }
    alert.count++;
    // ISO 8601 UTC with milliseconds orders as text.
    if (at < alert.firstSeen) alert.firstSeen = at;
    if (at > alert.lastSeen) alert.lastSeen = at;
    if (found.record && !alert.records.includes(found.record)) alert.records.push(found.record);
    for (const code of found.codes)
      if (!alert.reasonCodes.includes(code)) alert.reasonCodes.push(code);
  }
}

/** The metrics a Threshold rule compares (Disclosure_Rate in percent, as the rule writes it). */
export interface ThresholdMetrics {
  /** Synthetic records created in the hour, by provenance source. */
  perSourceHour: Record<string, number>;
  quarantineBacklog: number;
  oldestQuarantineDays: number | null;
  disclosureRate: number | null;
}

/** A threshold rule's verdict on one key: crossed now (trigger) or cleared while open (resolve). */
export interface ThresholdChange {
  rule: AlertRule;
  dedupKey: string;
  action: 'trigger' | 'resolve';
  value: number | null;
}

/** Whether a metric value crosses a rule's threshold (below the floor for the disclosure rate). */
export function crosses(rule: AlertRule, value: number | null): boolean {
  if (value === null || rule.threshold === null) return false;
  return rule.metric === 'Disclosure_Rate' ? value < rule.threshold : value > rule.threshold;
}

/**
 * Threshold rules over one measurement: a trigger per crossed key, a resolve per open key
 * (`open`, the dedupe keys of unresolved alerts) that no longer crosses.
 */
export function evaluateThresholds(
  rules: AlertRule[],
  metrics: ThresholdMetrics,
  open: Set<string>
): ThresholdChange[] {
  const changes: ThresholdChange[] = [];
  for (const rule of rules) {
    if (!rule.active || rule.kind !== 'Threshold' || rule.metric === null) continue;
    const values = new Map<string, number | null>();
    if (rule.metric === 'Synthetic_Per_Source_Hour') {
      for (const [source, count] of Object.entries(metrics.perSourceHour).sort(([a], [b]) =>
        a < b ? -1 : a > b ? 1 : 0
      ))
        values.set(`${rule.name}:${source}`, count);
    } else {
      values.set(
        rule.name,
        rule.metric === 'Quarantine_Backlog'
          ? metrics.quarantineBacklog
          : rule.metric === 'Oldest_Quarantine_Days'
            ? metrics.oldestQuarantineDays
            : metrics.disclosureRate
      );
    }
    for (const [dedupKey, value] of values)
      if (crosses(rule, value)) changes.push({ rule, dedupKey, action: 'trigger', value });
    for (const dedupKey of [...open].sort()) {
      const ours = dedupKey === rule.name || dedupKey.startsWith(`${rule.name}:`);
      if (ours && !changes.some((c) => c.dedupKey === dedupKey))
        changes.push({ rule, dedupKey, action: 'resolve', value: values.get(dedupKey) ?? null });
    }
  }
  return changes;
}
