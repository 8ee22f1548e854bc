import { GENERATION_METHODS } from '../provenance-model/schema';
import type { DeclaredProvenance } from '../policy/provenance-policy';
import { AI_GENERATION_METHODS } from '../policy/provenance-policy';
import { type Item, parseDictionary, StructuredFieldError } from './structured-field';

/**
 * The disclosure headers of an ingestion request: the project's `X-*` headers and the
 * `AI-Disclosure` dictionary of draft-abaris-aicdh. Twin of the Apex class `DisclosureHeaders`;
 * `IngestionVectors.json` holds both to the same answers.
 */

/** The headers read, in the order they are checked (and errors are reported). */
export const DISCLOSURE_HEADERS = [
  'X-Synthetic-Data',
  'X-AI-Model',
  'X-AI-Generated-At',
  'X-Provenance-Source',
  'X-Generation-Method',
  'X-Synthetic-Confidence',
  'X-Provenance-Hash',
  'AI-Disclosure'
] as const;
export type DisclosureHeader = (typeof DISCLOSURE_HEADERS)[number];

/** `mode` values of AI-Disclosure, with the IPTC digital source type each implies. */
export const AI_DISCLOSURE_MODES: Readonly<Record<string, string | null>> = {
  none: null,
  'ai-modified': 'compositeWithTrainedAlgorithmicMedia',
  'ai-originated': 'trainedAlgorithmicMedia',
  'machine-generated': 'algorithmicMedia'
};

const TEXT_LIMIT = 255;
const IPTC_PREFIX = /^https?:\/\/cv\.iptc\.org\/newscodes\/digitalsourcetype\//i;
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|([+-])(\d{2}):(\d{2}))$/;
// RFC 9651 dates are seconds; beyond year 9999 no field or language here can hold them.
const MAX_DATE_SECONDS = 253_402_300_799;

/** A header that cannot be read: the request is malformed (HTTP 400, `sdg validate-payload` exit 2). */
export interface HeaderError {
  header: DisclosureHeader;
  message: string;
}

/** The AI-Disclosure members kept for the audit trail. */
export interface AiDisclosure {
  mode: string;
  model: string | null;
  provider: string | null;
  reviewedBy: string | null;
  /** ISO 8601, UTC. */
  date: string | null;
}

/** What the headers declare. */
export interface Disclosure {
  /** Provenance fields the headers declare; absent keys were not declared. */
  declared: DeclaredProvenance;
  /** The headers declare the content AI-generated or AI-modified. */
  aiDisclosed: boolean;
  /** Pairs of headers that contradict each other, e.g. `X-AI-Model/AI-Disclosure`. */
  conflicts: string[];
  aiDisclosure: AiDisclosure | null;
}

/** HTTP field lines as sent: the name and the value of each line. */
export type HeaderLines = readonly (readonly [string, string])[];

/**
 * Joins the lines of each field name (case-insensitive) with ", ", as HTTP combines repeated
 * fields; keys are lower case.
 */
export function combineHeaderLines(lines: HeaderLines): Map<string, string> {
  const combined = new Map<string, string>();
  for (const [name, value] of lines) {
    const key = name.trim().toLowerCase();
    const trimmed = value.trim();
    const before = combined.get(key);
    combined.set(key, before === undefined ? trimmed : `${before}, ${trimmed}`);
  }
  return combined;
}

/** ISO 8601 UTC with milliseconds, or null when the text is not an RFC 3339 date-time. */
export function parseTimestamp(text: string): string | null {
  const m = RFC3339.exec(text.trim());
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number
  ];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const millis = Number(((m[7] ?? '.0') + '000').slice(1, 4));
  let epoch = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  if (m[9] !== undefined) {
    const offsetHours = Number(m[10]);
    const offsetMinutes = Number(m[11]);
    if (offsetHours > 23 || offsetMinutes > 59) return null;
    const offset = (offsetHours * 60 + offsetMinutes) * 60_000;
    epoch += m[9] === '+' ? -offset : offset;
  }
  const date = new Date(epoch);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** `provider/model` as the trusted-model registry writes models, unless the model says its own. */
export function qualifiedModel(model: string, provider: string | null): string {
  if (provider === null || model.includes('/')) return model;
  const slug = provider
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug === '' ? model : `${slug}/${model}`;
}

function textOf(item: Item): string | null {
  return typeof item.value === 'string' ? item.value : null;
}

class Reader {
  readonly errors: HeaderError[] = [];

  constructor(private readonly headers: ReadonlyMap<string, string>) {}

  raw(header: DisclosureHeader): string | null {
    const value = this.headers.get(header.toLowerCase());
    return value === undefined || value.trim() === '' ? null : value.trim();
  }

  fail(header: DisclosureHeader, message: string): null {
    this.errors.push({ header, message });
    return null;
  }

  text(header: DisclosureHeader): string | null {
    const value = this.raw(header);
    if (value !== null && value.length > TEXT_LIMIT)
      return this.fail(header, `${header} is longer than ${TEXT_LIMIT} characters.`);
    return value;
  }

  boolean(header: DisclosureHeader): boolean | null {
    const value = this.raw(header);
    if (value === null) return null;
    const lower = value.toLowerCase();
    if (['true', '?1', '1'].includes(lower)) return true;
    if (['false', '?0', '0'].includes(lower)) return false;
    return this.fail(header, `${header} must be true or false (or ?1/?0), not "${value}".`);
  }

  timestamp(header: DisclosureHeader): string | null {
    const value = this.raw(header);
    if (value === null) return null;
    return (
      parseTimestamp(value) ??
      this.fail(header, `${header} must be an RFC 3339 date-time such as 2026-06-01T11:00:00Z.`)
    );
  }

  method(header: DisclosureHeader): string | null {
    const value = this.raw(header);
    if (value === null) return null;
    const term = value.replace(IPTC_PREFIX, '').toLowerCase();
    return (
      GENERATION_METHODS.find((method) => method.toLowerCase() === term) ??
      this.fail(
        header,
        `${header} must be an IPTC digital source type (e.g. trainedAlgorithmicMedia), not "${value}".`
      )
    );
  }

  number(header: DisclosureHeader): number | null {
    const value = this.raw(header);
    if (value === null) return null;
    if (!/^[+-]?\d+(\.\d+)?$/.test(value))
      return this.fail(header, `${header} must be a number from 0 to 100, not "${value}".`);
    return Number(value);
  }

  hash(header: DisclosureHeader): string | null {
    const value = this.raw(header);
    if (value === null) return null;
    if (!/^[0-9a-fA-F]{64}$/.test(value))
      return this.fail(header, `${header} must be a SHA-256 as 64 hex characters.`);
    return value.toLowerCase();
  }

  aiDisclosure(): AiDisclosure | null {
    const header = 'AI-Disclosure';
    const value = this.headers.get(header.toLowerCase());
    if (value === undefined) return null;
    let members: Map<string, Item>;
    try {
      members = new Map(parseDictionary(value));
    } catch (error) {
      if (!(error instanceof StructuredFieldError)) throw error;
      return this.fail(
        header,
        `AI-Disclosure is not an RFC 9651 dictionary: ${error.message}. Example: mode=ai-originated, model="gpt-4o".`
      );
    }
    const mode = members.get('mode');
    const modeText = mode?.type === 'token' ? textOf(mode) : null;
    if (modeText === null || !(modeText in AI_DISCLOSURE_MODES))
      return this.fail(
        header,
        `AI-Disclosure needs mode as a token: one of ${Object.keys(AI_DISCLOSURE_MODES).join(', ')} (unquoted).`
      );
    const failures = this.errors.length;
    const disclosure: AiDisclosure = {
      mode: modeText,
      model: this.member(members, 'model'),
      provider: this.member(members, 'provider'),
      reviewedBy: this.member(members, 'reviewed-by'),
      date: this.date(members.get('date'))
    };
    return this.errors.length > failures ? null : disclosure;
  }

  private member(members: Map<string, Item>, key: string): string | null {
    const item = members.get(key);
    if (item === undefined) return null;
    const text = item.type === 'string' || item.type === 'token' ? textOf(item)?.trim() : '';
    if (!text)
      return this.fail('AI-Disclosure', `AI-Disclosure ${key} must be a non-empty string.`);
    if (text.length > TEXT_LIMIT)
      return this.fail(
        'AI-Disclosure',
        `AI-Disclosure ${key} is longer than ${TEXT_LIMIT} characters.`
      );
    return text;
  }

  private date(item: Item | undefined): string | null {
    if (item === undefined) return null;
    if (item.type === 'date' && Math.abs(Number(item.value)) <= MAX_DATE_SECONDS)
      return new Date(Number(item.value) * 1000).toISOString();
    const text = item.type === 'string' ? textOf(item) : null;
    const parsed = text === null ? null : parseTimestamp(text);
    return (
      parsed ??
      this.fail(
        'AI-Disclosure',
        'AI-Disclosure date must be an RFC 9651 date (@1745940000) or an RFC 3339 string.'
      )
    );
  }
}

/**
 * Reads the disclosure headers. Malformed headers are errors (the whole request is refused, so a
 * sender's typo never silently drops a disclosure); headers that contradict each other are
 * conflicts, for the policy to weigh as DISCLOSURE_CONFLICT.
 */
export function readDisclosure(headers: ReadonlyMap<string, string>): {
  disclosure: Disclosure;
  errors: HeaderError[];
} {
  const r = new Reader(headers);
  const synthetic = r.boolean('X-Synthetic-Data');
  const model = r.text('X-AI-Model');
  const generatedAt = r.timestamp('X-AI-Generated-At');
  const source = r.text('X-Provenance-Source');
  const method = r.method('X-Generation-Method');
  const confidence = r.number('X-Synthetic-Confidence');
  const hash = r.hash('X-Provenance-Hash');
  const ai = r.aiDisclosure();

  const aiSaysSynthetic = ai === null ? null : ai.mode !== 'none';
  const aiModel = ai?.model == null ? null : qualifiedModel(ai.model, ai.provider);
  const conflicts: string[] = [];
  if (ai !== null) {
    if (synthetic !== null && synthetic !== aiSaysSynthetic)
      conflicts.push('X-Synthetic-Data/AI-Disclosure');
    if (
      model !== null &&
      ai.model !== null &&
      ![ai.model, aiModel].some((m) => m!.toLowerCase() === model.toLowerCase())
    )
      conflicts.push('X-AI-Model/AI-Disclosure');
    if (
      generatedAt !== null &&
      ai.date !== null &&
      Math.floor(Date.parse(generatedAt) / 1000) !== Date.parse(ai.date) / 1000
    )
      conflicts.push('X-AI-Generated-At/AI-Disclosure');
    if (method !== null && AI_GENERATION_METHODS.has(method) !== aiSaysSynthetic)
      conflicts.push('X-Generation-Method/AI-Disclosure');
  }

  const declared: DeclaredProvenance = {};
  const put = <K extends keyof DeclaredProvenance>(key: K, value: DeclaredProvenance[K]) => {
    if (value !== null && value !== undefined) declared[key] = value;
  };
  put('Synthetic_Data__c', synthetic ?? aiSaysSynthetic);
  put('AI_Model__c', model ?? aiModel);
  put('Generated_At__c', generatedAt ?? ai?.date ?? null);
  put('Generation_Method__c', method ?? (ai === null ? null : AI_DISCLOSURE_MODES[ai.mode]));
  put('Provenance_Source__c', source);
  put('Synthetic_Confidence__c', confidence);
  put('Provenance_Hash__c', hash);
  return {
    disclosure: {
      declared,
      aiDisclosed: declared.Synthetic_Data__c === true,
      conflicts,
      aiDisclosure: ai
    },
    errors: r.errors
  };
}
