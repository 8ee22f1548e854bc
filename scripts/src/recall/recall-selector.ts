import { UsageError } from '../cli/errors';
import { REASON_CODES } from '../policy/reason-codes';
import {
  GOVERNED_OBJECTS,
  GovernedObject,
  PROVENANCE_FIELDS,
  SYNTHETIC_STATUSES
} from '../provenance-model/schema';

/**
 * Which records a recall takes: every criterion given must hold (AND); values of a repeated
 * criterion are alternatives (OR). The Apex twin is `RecallSelector`; `RecallSelectorVectors.json`
 * holds both to the same answers.
 */
export interface RecallSelector {
  /** AI_Model__c, case-insensitive; a trailing `*` matches a prefix. */
  models: string[];
  /** Provenance_Source__c, case-insensitive; a trailing `*` matches a prefix. */
  sources: string[];
  /** Provenance_Batch__c, exactly. */
  batch: string | null;
  /** Generated_At__c at or after (ISO 8601). */
  since: string | null;
  /** Generated_At__c before (ISO 8601). */
  until: string | null;
  statuses: string[];
  objects: GovernedObject[];
  /** Any of these codes in Synthetic_Reasons__c. */
  reasons: string[];
}

/** Selector options as the command line gives them. */
export interface SelectorOptions {
  model?: string[];
  source?: string[];
  batch?: string;
  since?: string;
  until?: string;
  status?: string[];
  object?: string[];
  reason?: string[];
}

/** The fields a selector reads, by criterion. */
export const SELECTOR_FIELDS = {
  models: PROVENANCE_FIELDS.aiModel,
  sources: PROVENANCE_FIELDS.provenanceSource,
  batch: PROVENANCE_FIELDS.provenanceBatch,
  since: PROVENANCE_FIELDS.generatedAt,
  until: PROVENANCE_FIELDS.generatedAt,
  statuses: PROVENANCE_FIELDS.syntheticStatus,
  reasons: PROVENANCE_FIELDS.syntheticReasons
} as const;

function instant(text: string | undefined, flag: string): string | null {
  if (text === undefined) return null;
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text.trim()))
    throw new UsageError(`${flag} must be an ISO 8601 date or date-time, got "${text}".`);
  const parsed = Date.parse(text.trim());
  if (Number.isNaN(parsed))
    throw new UsageError(`${flag} must be an ISO 8601 date or date-time, got "${text}".`);
  return new Date(parsed).toISOString();
}

function oneOf(values: string[] | undefined, allowed: readonly string[], flag: string): string[] {
  const byLower = new Map(allowed.map((a) => [a.toLowerCase(), a]));
  return (values ?? []).map((value) => {
    const known = byLower.get(value.trim().toLowerCase());
    if (!known) throw new UsageError(`${flag} "${value}" is not one of: ${allowed.join(', ')}.`);
    return known;
  });
}

function patterns(values: string[] | undefined, flag: string): string[] {
  return (values ?? []).map((value) => {
    const trimmed = value.trim();
    if (trimmed === '' || trimmed === '*')
      throw new UsageError(
        `${flag} needs a value (a trailing * matches a prefix), got "${value}".`
      );
    return trimmed;
  });
}

/** Reads and checks a selector; a bad value is a usage error naming the flag. */
export function parseSelector(
  options: SelectorOptions,
  governed: readonly string[] = GOVERNED_OBJECTS
): RecallSelector {
  const selector: RecallSelector = {
    models: patterns(options.model, '--model'),
    sources: patterns(options.source, '--source'),
    batch: options.batch === undefined ? null : options.batch.trim(),
    since: instant(options.since, '--since'),
    until: instant(options.until, '--until'),
    statuses: oneOf(options.status, SYNTHETIC_STATUSES, '--status'),
    objects: oneOf(options.object, governed, '--object') as GovernedObject[],
    reasons: oneOf(options.reason, REASON_CODES, '--reason')
  };
  if (selector.batch === '') throw new UsageError('--batch needs a value.');
  if (selector.since && selector.until && selector.since >= selector.until)
    throw new UsageError(`--since (${selector.since}) must be before --until (${selector.until}).`);
  if (!hasCriteria(selector))
    throw new UsageError(
      'Say which records to recall: --model, --source, --batch, --since/--until, --status, --reason and/or --object.'
    );
  return selector;
}

function hasCriteria(s: RecallSelector): boolean {
  return (
    s.models.length + s.sources.length + s.statuses.length + s.objects.length + s.reasons.length >
      0 ||
    s.batch !== null ||
    s.since !== null ||
    s.until !== null
  );
}

/** The objects a selector covers (all governed objects when it names none). */
export function objectsOf(
  selector: RecallSelector,
  governed: readonly string[] = GOVERNED_OBJECTS
): GovernedObject[] {
  return selector.objects.length ? selector.objects : ([...governed] as GovernedObject[]);
}

/** The fields a record must carry for the selector to be decided on it. */
export function fieldsNeeded(selector: RecallSelector): string[] {
  const needed = new Set<string>();
  if (selector.models.length) needed.add(SELECTOR_FIELDS.models);
  if (selector.sources.length) needed.add(SELECTOR_FIELDS.sources);
  if (selector.batch !== null) needed.add(SELECTOR_FIELDS.batch);
  if (selector.since !== null || selector.until !== null) needed.add(SELECTOR_FIELDS.since);
  if (selector.statuses.length) needed.add(SELECTOR_FIELDS.statuses);
  if (selector.reasons.length) needed.add(SELECTOR_FIELDS.reasons);
  return [...needed];
}

function matchesPattern(value: string, pattern: string): boolean {
  const v = value.trim().toLowerCase();
  const p = pattern.toLowerCase();
  return p.endsWith('*') ? v.startsWith(p.slice(0, -1)) : v === p;
}

/** Whether one record (field API name → text, as an export holds it) is selected. */
export function matches(
  selector: RecallSelector,
  object: string,
  get: (field: string) => string
): boolean {
  if (selector.objects.length && !selector.objects.includes(object as GovernedObject)) return false;
  const model = get(SELECTOR_FIELDS.models);
  if (selector.models.length && !selector.models.some((p) => model && matchesPattern(model, p)))
    return false;
  const source = get(SELECTOR_FIELDS.sources);
  if (selector.sources.length && !selector.sources.some((p) => source && matchesPattern(source, p)))
    return false;
  if (selector.batch !== null && get(SELECTOR_FIELDS.batch).trim() !== selector.batch) return false;
  if (selector.since !== null || selector.until !== null) {
    const at = Date.parse(get(SELECTOR_FIELDS.since));
    if (Number.isNaN(at)) return false;
    if (selector.since !== null && at < Date.parse(selector.since)) return false;
    if (selector.until !== null && at >= Date.parse(selector.until)) return false;
  }
  if (selector.statuses.length && !selector.statuses.includes(get(SELECTOR_FIELDS.statuses).trim()))
    return false;
  if (selector.reasons.length) {
    const stored = new Set(
      get(SELECTOR_FIELDS.reasons)
        .split(';')
        .map((c) => c.trim())
    );
    if (!selector.reasons.some((code) => stored.has(code))) return false;
  }
  return true;
}

function literal(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function likeLiteral(prefix: string): string {
  return literal(`${prefix.replace(/[%_]/g, (c) => `\\${c}`)}%`);
}

function patternClause(field: string, values: string[]): string {
  const exact = values.filter((v) => !v.endsWith('*'));
  const parts = values
    .filter((v) => v.endsWith('*'))
    .map((v) => `${field} LIKE ${likeLiteral(v.slice(0, -1))}`);
  if (exact.length) parts.unshift(`${field} IN (${exact.map(literal).join(', ')})`);
  return parts.length === 1 ? parts[0]! : `(${parts.join(' OR ')})`;
}

/**
 * The SOQL that selects the same records in an org (text comparisons in SOQL are
 * case-insensitive, as the selector is). Every value is a quoted, escaped literal.
 */
export function soqlFor(selector: RecallSelector, object: string, fields = ['Id']): string {
  const where: string[] = [];
  if (selector.models.length) where.push(patternClause(SELECTOR_FIELDS.models, selector.models));
  if (selector.sources.length) where.push(patternClause(SELECTOR_FIELDS.sources, selector.sources));
  if (selector.batch !== null) where.push(`${SELECTOR_FIELDS.batch} = ${literal(selector.batch)}`);
  if (selector.since !== null) where.push(`${SELECTOR_FIELDS.since} >= ${selector.since}`);
  if (selector.until !== null) where.push(`${SELECTOR_FIELDS.until} < ${selector.until}`);
  if (selector.statuses.length)
    where.push(`${SELECTOR_FIELDS.statuses} IN (${selector.statuses.map(literal).join(', ')})`);
  if (selector.reasons.length) {
    const likes = selector.reasons.map((c) => `${SELECTOR_FIELDS.reasons} LIKE '%${c}%'`);
    where.push(likes.length === 1 ? likes[0]! : `(${likes.join(' OR ')})`);
  }
  return `SELECT ${fields.join(', ')} FROM ${object}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY Id`;
}
