import type { ObjectPolicy } from '../policy/package-policy';
import {
  AI_GENERATION_METHODS,
  decide,
  FUTURE_TOLERANCE_MS,
  ProvenanceValues
} from '../policy/provenance-policy';
import type { TrustedSourceRegistry } from '../policy/trusted-source-registry';
import { PROVENANCE_FIELDS } from '../provenance-model/schema';
import { checkbox, ExportRow, field } from './record-reader';
import { detach } from './spill-partitions';
import { unapprovedValues } from './source-approval-control';

/**
 * What the per-record controls conclude from a record's provenance values alone (SDG-01, -02,
 * -03, -04, -06, -15): the same for every record of an object whose values agree on what those
 * controls read.
 */
export interface ProvenanceVerdict {
  /** The record's values as the policy engine reads them (the first record with this key's). */
  values: ProvenanceValues;
  synthetic: boolean;
  /** Synthetic_Status__c, `(blank)` when none. */
  status: string;
  /** SDG-01: a field the object's policy requires is blank. */
  missingRequired: boolean;
  /** SDG-04: the model of a synthetic record the registry does not trust (null: none). */
  untrustedModel: string | null;
  /** SDG-03: not marked synthetic, but names an AI model or an AI generation method. */
  undisclosedAi: boolean;
  /** SDG-06: synthetic, in sync although the policy does not allow it. */
  heldBack: boolean;
  /** SDG-15: model and source values without an approved entry (computed when first asked). */
  unapproved?: readonly string[];
  /** SDG-02: the status the policy decides now, `(blank)` when none (computed when first asked). */
  decided?: string;
}

/** Distinct keys kept per audit; past it verdicts are worked out per record (no growth). */
export const MAX_VERDICTS = 4096;

const F = PROVENANCE_FIELDS;
/** What separates a key's parts; a record whose values hold it is worked out on its own. */
const SEPARATOR = '\u001f';
const KEY_PARTS = 9;

function separators(key: string): number {
  let n = 0;
  for (let at = key.indexOf(SEPARATOR); at >= 0; at = key.indexOf(SEPARATOR, at + 1)) n++;
  return n;
}

/** Blank as the controls tell it apart: empty (''), white space only ('w'), or set ('s'). */
function blankness(value: string): string {
  if (value === '') return '';
  return value.trim() === '' ? 'w' : 's';
}

/**
 * The record's values as the audit reads them: a checkbox as `true`/`false`, a blank text as
 * null, the confidence as a number.
 */
export function provenanceValues(row: ExportRow): ProvenanceValues {
  const confidence = field(row, F.syntheticConfidence);
  return {
    Synthetic_Data__c: checkbox(field(row, F.syntheticData)),
    AI_Model__c: field(row, F.aiModel) || null,
    Generated_At__c: field(row, F.generatedAt) || null,
    Generation_Method__c: field(row, F.generationMethod) || null,
    Provenance_Source__c: field(row, F.provenanceSource) || null,
    Synthetic_Confidence__c: confidence === '' ? null : Number(confidence),
    Provenance_Hash__c: field(row, F.provenanceHash) || null,
    Synthetic_Status__c: field(row, F.syntheticStatus) || null
  };
}

/**
 * Copies of the values' texts: a parsed value is a slice of its 64 KiB parse piece, which a kept
 * verdict would otherwise keep in memory (4,096 of them could hold 256 MB).
 */
function detached(values: ProvenanceValues): ProvenanceValues {
  const copy: ProvenanceValues = { ...values };
  for (const [name, value] of Object.entries(copy))
    if (typeof value === 'string') (copy as Record<string, unknown>)[name] = detach(value);
  return copy;
}

/**
 * Works out each record's provenance verdict once per distinct key and hands out the same one to
 * every record that shares it: re-deriving the policy decision, the registry verdicts and the
 * required fields for every record was a third of the record audit's time, and an export's
 * records share a few hundred combinations.
 *
 * The key holds every value the controls and the policy engine read, as written, except the two
 * that differ on nearly every record and are read only for a property: Provenance_Hash__c (blank
 * or not) and Generated_At__c (blank or not, and whether it lies in the future at `now`: the
 * engine's FUTURE_GENERATED_AT test). With the stored values as both this save and the previous
 * one (how the audit asks), nothing else of them reaches the decision; `record-verdicts.test.ts`
 * holds the cached verdicts to the engine's on the shared policy vectors' records and on records
 * that vary each of those two fields.
 */
export class RecordVerdicts {
  private readonly verdicts = new Map<string, ProvenanceVerdict>();
  private readonly future: number;

  constructor(
    private readonly registry: TrustedSourceRegistry,
    private readonly now: string,
    private readonly limit = MAX_VERDICTS
  ) {
    this.future = Date.parse(now) + FUTURE_TOLERANCE_MS;
  }

  /** How Generated_At__c weighs: blank, white space, in the future at `now`, or not. */
  private generatedAtClass(value: string): string {
    const blank = blankness(value);
    if (blank !== 's') return blank;
    return Date.parse(value.trim()) > this.future ? 'f' : 'p';
  }

  private key(object: string, row: ExportRow): string {
    const f = row.fields;
    return `${object}\u001f${f[F.syntheticData] ?? ''}\u001f${f[F.aiModel] ?? ''}\u001f${
      f[F.generationMethod] ?? ''
    }\u001f${f[F.provenanceSource] ?? ''}\u001f${f[F.syntheticConfidence] ?? ''}\u001f${
      f[F.syntheticStatus] ?? ''
    }\u001f${blankness(f[F.provenanceHash] ?? '')}\u001f${this.generatedAtClass(
      f[F.generatedAt] ?? ''
    )}`;
  }

  /** The verdict on one record of `object` under `policy` (the object's policy). */
  of(object: string, row: ExportRow, policy: ObjectPolicy): ProvenanceVerdict {
    const key = this.key(object, row);
    const known = this.verdicts.get(key);
    if (known) return known;
    // A value holding the separator could make two records' keys alike: such a record is not kept.
    if (this.verdicts.size >= this.limit || separators(key) !== KEY_PARTS - 1)
      return this.work(provenanceValues(row), policy);
    const verdict = this.work(detached(provenanceValues(row)), policy);
    this.verdicts.set(key, verdict);
    return verdict;
  }

  private work(values: ProvenanceValues, policy: ObjectPolicy): ProvenanceVerdict {
    const synthetic = values.Synthetic_Data__c === true;
    const status = values.Synthetic_Status__c ?? '(blank)';
    const model = values.AI_Model__c ?? null;
    const method = values.Generation_Method__c ?? null;
    const declaresAi = model !== null || (method !== null && AI_GENERATION_METHODS.has(method));
    return {
      values,
      synthetic,
      status,
      missingRequired:
        synthetic &&
        policy.requiredFields.some((f) => (values[f as keyof ProvenanceValues] ?? '') === ''),
      untrustedModel:
        synthetic && model && this.registry.verdict(model, 'Model', this.now) !== 'trusted'
          ? model
          : null,
      undisclosedAi: !synthetic && declaresAi,
      heldBack: synthetic && !policy.allowSync && status !== 'Quarantined' && status !== 'Rejected'
    };
  }

  /** SDG-15's values of a verdict (see unapprovedValues). */
  unapproved(verdict: ProvenanceVerdict): readonly string[] {
    return (verdict.unapproved ??= unapprovedValues(verdict.values, this.registry, this.now));
  }

  /** SDG-02's decision of a verdict: the status the policy decides now for the stored values. */
  decided(verdict: ProvenanceVerdict, policy: ObjectPolicy): string {
    if (verdict.decided === undefined) {
      const decision = decide({
        policy,
        record: verdict.values,
        previous: verdict.values,
        context: { now: this.now, canReview: false, syntheticSeenBefore: 0 },
        registry: this.registry
      });
      verdict.decided = decision.status ?? '(blank)';
    }
    return verdict.decided;
  }
}
