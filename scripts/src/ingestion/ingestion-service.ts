import { provenanceHash } from '../enforcement/provenance-hash';
import { type PolicySet, policyFor } from '../policy/package-policy';
import { decide, type PolicyDecision } from '../policy/provenance-policy';
import { TrustedSourceRegistry } from '../policy/trusted-source-registry';
import type { Decision, SyntheticStatus } from '../provenance-model/schema';
import { combineHeaderLines, type HeaderLines, readDisclosure } from './disclosure-headers';
import { FieldDefinitions, valueProblem } from './field-definitions';
import {
  mergeDeclared,
  parsePayload,
  type RecordValues,
  type RequestError
} from './payload-validator';
import { StandardFields } from './standard-fields';

/**
 * What the ingestion endpoint answers for a request, computed offline: the same header reading,
 * body checks, header/body merge and policy engine as the Apex class `IngestionService`, minus
 * the save. Used by `sdg validate-payload`; `IngestionVectors.json` holds both to the same answers.
 */

/** HTTP status of one record's outcome. */
export type RecordHttpStatus = 200 | 201 | 202 | 422;

/** The answer for one record of the request. */
export interface RecordResult {
  index: number;
  /** The saved record's Id (always null offline). */
  id: string | null;
  /** Inserted (201) rather than updated by its external id (200). Offline every record is new. */
  created: boolean;
  status: RecordHttpStatus;
  decision: Decision | null;
  /** `Synthetic_Status__c` as stored (null for an authentic record or a refused one). */
  syntheticStatus: SyntheticStatus | null;
  reasons: string[];
  errors: { code: string; message: string; field?: string }[];
}

/** The answer for a request. */
export interface IngestionResponse {
  /** 201/200 all accepted, 202 something quarantined, 422 something refused, 400/403 nothing read. */
  status: 200 | 201 | 202 | 400 | 403 | 422;
  objectName: string;
  results: RecordResult[];
  errors: RequestError[];
}

/** One request as it arrives. */
export interface IngestionRequest {
  objectName: string;
  headers: HeaderLines;
  body: string;
}

/** Where the offline evaluation gets what the org would know. */
export interface IngestionContext {
  policy: PolicySet;
  /** ISO 8601 "now". */
  now: string;
  standardFields?: StandardFields;
}

const STATUS_OF: Record<Decision, RecordHttpStatus> = {
  ACCEPT: 201,
  FLAG: 201,
  QUARANTINE: 202,
  REJECT: 422
};

/** The request's status: the most severe record outcome (422 > 202 > 201 > 200). */
export function overallStatus(results: readonly RecordResult[]): IngestionResponse['status'] {
  const order: RecordHttpStatus[] = [422, 202, 201, 200];
  return order.find((status) => results.some((r) => r.status === status)) ?? 200;
}

function refused(objectName: string, errors: RequestError[]): IngestionResponse {
  return { status: 400, objectName, results: [], errors };
}

function resultOf(index: number, decision: PolicyDecision): RecordResult {
  const status = STATUS_OF[decision.decision];
  return {
    index,
    id: null,
    created: true,
    status,
    decision: decision.decision,
    syntheticStatus: status === 422 ? null : decision.status,
    reasons: decision.reasons,
    errors:
      status === 422
        ? [
            {
              code: 'POLICY_REJECTED',
              message: `The synthetic-data policy refused this record: ${decision.reasons.join(', ')}.`
            }
          ]
        : []
  };
}

/** The header naming the import a request belongs to; new records get it as Provenance_Batch__c. */
export const BATCH_HEADER = 'X-Provenance-Batch';
/** Longest batch id (the length of Provenance_Batch__c). */
export const BATCH_MAX_LENGTH = 80;

/** Evaluates a request as the endpoint would, offline. */
export function evaluateRequest(
  request: IngestionRequest,
  context: IngestionContext
): IngestionResponse {
  const { disclosure, errors: headerErrors } = readDisclosure(combineHeaderLines(request.headers));
  const errors: RequestError[] = headerErrors.map((e) => ({
    code: 'MALFORMED_HEADER',
    header: e.header,
    message: e.message
  }));
  // A header value the save would refuse (a 300-character X-AI-Model) is refused here, as in the body.
  const definitions = FieldDefinitions.load();
  for (const [field, value] of Object.entries(disclosure.declared)) {
    const problem = valueProblem(field, definitions.of(request.objectName, field), value);
    if (problem !== null)
      errors.push({
        code: 'INVALID_VALUE',
        field,
        message: `From the disclosure headers: ${problem}`
      });
  }
  const parsed = parsePayload(
    request.objectName,
    request.body,
    context.standardFields ?? StandardFields.load()
  );
  errors.push(...parsed.errors);
  if (disclosure.declared.Provenance_Hash__c !== undefined && parsed.records.length > 1)
    errors.push({
      code: 'HASH_HEADER_NEEDS_ONE_RECORD',
      header: 'X-Provenance-Hash',
      message:
        'X-Provenance-Hash describes one record; send it with a single record, or put Provenance_Hash__c on each record of a batch.'
    });
  const batch = combineHeaderLines(request.headers).get(BATCH_HEADER.toLowerCase())?.trim();
  if (batch && batch.length > BATCH_MAX_LENGTH)
    errors.push({
      code: 'MALFORMED_HEADER',
      header: BATCH_HEADER,
      message: 'X-Provenance-Batch holds at most 80 characters.'
    });
  if (errors.length > 0) return refused(request.objectName, errors);

  const policy = policyFor(context.policy, request.objectName);
  const registry = new TrustedSourceRegistry(context.policy.trustedSources);
  const signals = {
    aiDisclosed: disclosure.aiDisclosed,
    declared: disclosure.declared,
    disclosureConflict: disclosure.conflicts.length > 0
  };
  let syntheticSeen = 0;
  const perSource = new Map<string, number>();
  const results = parsed.records.map((raw, index) => {
    const record: RecordValues = mergeDeclared(raw, disclosure.declared);
    // The trigger stamps the content hash before deciding; so does this.
    if (record.Provenance_Hash__c === undefined || record.Provenance_Hash__c === null)
      record.Provenance_Hash__c = provenanceHash(record);
    const sourceKey =
      typeof record.Provenance_Source__c === 'string' && record.Provenance_Source__c.trim()
        ? record.Provenance_Source__c.trim().toLowerCase()
        : null;
    const decision = decide({
      policy,
      record,
      previous: null,
      signals,
      context: {
        now: context.now,
        canReview: false,
        syntheticSeenBefore: syntheticSeen,
        sourceSyntheticThisHour: sourceKey === null ? 0 : (perSource.get(sourceKey) ?? 0)
      },
      registry
    });
    if (decision.synthetic) syntheticSeen++;
    if (decision.synthetic && decision.decision !== 'REJECT' && sourceKey !== null)
      perSource.set(sourceKey, (perSource.get(sourceKey) ?? 0) + 1);
    return resultOf(index, decision);
  });
  return { status: overallStatus(results), objectName: request.objectName, results, errors: [] };
}
