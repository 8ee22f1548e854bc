import { base, en, Faker } from '@faker-js/faker';
import { createHash, createHmac } from 'node:crypto';
import { AuditEvent, checkpointMessage, eventHash, GENESIS_HASH } from '../audit-chain/canonical';
import { to18 } from '../audit-chain/export-reader';
import { provenanceHash } from '../enforcement/provenance-hash';
import { policyFor, PolicySet } from '../policy/package-policy';
import { decide, PolicyDecision, ProvenanceValues } from '../policy/provenance-policy';
import { storedReasonText } from '../policy/policy-transition';
import { TrustedSourceRegistry } from '../policy/trusted-source-registry';
import type { GovernedObject } from '../provenance-model/schema';

/** Options of `sdg seed`. */
export interface SeedOptions {
  count: number;
  seed: number;
  syntheticRatio: number;
  /** Reference time: records are created in the 30 days before it. */
  now: string;
  /** Checkpoint signing key of the sample chain (HMAC). */
  hmacKey: Buffer;
  checkpointEvery?: number;
}

/** A generated record: its object, fields (API names) and the decision the org would take. */
export interface SeededRecord {
  object: GovernedObject;
  fields: Record<string, string | number | boolean | null>;
  decision: PolicyDecision;
  /** Why the generator made it so (for tests and the seed summary). */
  profile: string;
  /** The provenance the source claimed (what a loader sends; the org decides the rest). */
  claimed: ProvenanceValues;
}

/** What the generator emits, in order: records the org keeps and every audit event. */
export type SeedItem =
  | { kind: 'record'; record: SeededRecord }
  /** A record the policy rejects: not in the org's data, but a loader still sends it. */
  | { kind: 'rejected'; record: SeededRecord }
  | { kind: 'event'; event: AuditEvent };

/** The span of time the seeded records were created in, ending at the reference time. */
const SEED_WINDOW_MS = 30 * 86_400_000;

/** The external id (`Source_Record_Id__c`) of a seeded record, stable for a given seed. */
export function seedKey(seed: number, id: string): string {
  return `sdg-seed-${seed}-${id}`;
}

/**
 * The import batch (`Provenance_Batch__c`) of a seeded record: one import per seed and day, the
 * way a nightly load stamps its run, so `sdg recall plan --batch` can undo one day's import.
 */
export function seedBatch(seed: number, createdAt: Date): string {
  return `sdg-seed-${seed}-${createdAt.toISOString().slice(0, 10)}`;
}

const ID_PREFIX: Record<GovernedObject, string> = {
  Account: '001',
  Contact: '003',
  Opportunity: '006',
  Case: '500',
  Lead: '00Q'
};
const TRUSTED_MODELS = [
  'openai/gpt-4o-2024-08-06',
  'anthropic/claude-3-5-sonnet-20241022',
  'google/gemini-1.5-pro'
];
const UNTRUSTED_MODELS = ['mistral/large-2407', 'local/llama-3-70b', 'unknown-vendor/textgen-2'];
const SOURCES = [
  'Marketing Webhook',
  'Enrichment Vendor API',
  'Chatbot Transcript Import',
  'Partner Lead Feed'
];
const ACTING_USER = '005000000000001AAA';

/** Profiles of synthetic records: how complete and trustworthy their provenance is. */
const SYNTHETIC_PROFILES: [string, number][] = [
  ['complete', 0.5],
  ['missing-source', 0.06],
  ['missing-method', 0.05],
  ['flag-only', 0.04],
  ['untrusted-model', 0.1],
  ['high-confidence', 0.08],
  ['review-confidence', 0.07],
  ['undisclosed', 0.06],
  ['future-timestamp', 0.04]
];

function pick<T>(faker: Faker, weighted: [T, number][]): T {
  let roll = faker.number.float({ min: 0, max: 1 });
  for (const [value, weight] of weighted) {
    roll -= weight;
    if (roll <= 0) return value;
  }
  return weighted[weighted.length - 1]![0];
}

/**
 * Generates a realistic, deterministic org: Accounts with Contacts, Opportunities and Cases, plus
 * Leads (one of them a bulk import that crosses the bulk-injection limit), authentic and synthetic
 * with full, partial or missing provenance, trusted and untrusted models, and adversarial cases.
 * Every record is decided by the TypeScript policy engine with the package's shipped policy, and
 * every decision becomes an audit event in a valid, HMAC-checkpointed chain, exactly as the org
 * would produce them.
 */
export function* generateSeed(options: SeedOptions, policySet: PolicySet): Generator<SeedItem> {
  const faker = new Faker({ locale: [en, base] });
  faker.seed(options.seed);
  const registry = new TrustedSourceRegistry(policySet.trustedSources);
  const reference = Date.parse(options.now);
  const counters: Record<GovernedObject, number> = {
    Account: 0,
    Contact: 0,
    Opportunity: 0,
    Case: 0,
    Lead: 0
  };
  const checkpointEvery = options.checkpointEvery ?? 1000;
  let sequence = 0;
  let previousHash = GENESIS_HASH;
  let currentAccount: { id: string; synthetic: boolean } | null = null;
  let contactOfAccount: string | null = null;
  // Past the shipped Lead limit (200), so the sample shows the bulk-injection guard at work.
  const bulkSize = options.count >= 1000 ? Math.min(300, Math.floor(options.count / 5)) : 0;
  let bulkRemaining = bulkSize;
  let bulkSeen = 0;
  let produced = 0;

  const nextId = (object: GovernedObject) => {
    counters[object]++;
    return to18(`${ID_PREFIX[object]}5g${String(counters[object]).padStart(10, '0')}`);
  };

  function* appendEvent(
    fields: Omit<AuditEvent, 'sequence' | 'previousHash' | 'hash' | 'signature'>
  ): Generator<SeedItem> {
    sequence++;
    const event: AuditEvent = { ...fields, sequence, previousHash, hash: '', signature: '' };
    event.hash = eventHash(event);
    previousHash = event.hash;
    yield { kind: 'event', event };
    if (sequence % checkpointEvery === 0) {
      sequence++;
      const payload = JSON.stringify({
        algorithm: 'HMAC-SHA256',
        head: previousHash,
        keyId: 'sample',
        sequence: sequence - 1
      });
      const signature = `HMAC-SHA256:${createHmac('sha256', options.hmacKey)
        .update(checkpointMessage(sequence - 1, previousHash))
        .digest('base64')}`;
      const checkpoint: AuditEvent = {
        sequence,
        previousHash,
        occurredAt: fields.occurredAt,
        eventType: 'Checkpoint',
        recordId: '',
        objectType: '',
        actingUser: ACTING_USER,
        decision: '',
        reasonCodes: '',
        eventKey: createHash('sha256')
          .update(`seed|${options.seed}|checkpoint|${sequence}`)
          .digest('hex'),
        payload,
        hash: '',
        signature
      };
      checkpoint.hash = eventHash(checkpoint);
      previousHash = checkpoint.hash;
      yield { kind: 'event', event: checkpoint };
    }
  }

  // Records arrive in sequence order across the 30 days before the reference time (so event times
  // increase with the chain's sequence, as the org writes them), and the bulk import is one burst:
  // its records 50 ms apart, as one 200-plus-record insert.
  const slot = SEED_WINDOW_MS / options.count;
  let bulkStart: number | null = null;
  const createdAtOf = (jitter: number, inBulk: boolean): Date => {
    const slotStart = reference - SEED_WINDOW_MS + produced * slot;
    if (!inBulk) return new Date(Math.floor(slotStart + (jitter % slot)));
    bulkStart ??= Math.floor(slotStart);
    return new Date(bulkStart + (bulkSize - bulkRemaining) * 50);
  };

  while (produced < options.count) {
    const inBulk = bulkRemaining > 0 && produced >= Math.floor(options.count / 2);
    const object: GovernedObject = inBulk
      ? 'Lead'
      : currentAccount === null
        ? 'Account'
        : pick<GovernedObject>(faker, [
            ['Account', 0.18],
            ['Contact', 0.28],
            ['Opportunity', 0.16],
            ['Case', 0.16],
            ['Lead', 0.22]
          ]);
    const createdAt = createdAtOf(faker.number.int({ min: 60_000, max: SEED_WINDOW_MS }), inBulk);
    const fields = baseFields(faker, object, currentAccount?.id ?? null, contactOfAccount);
    const synthetic = inBulk || faker.number.float({ min: 0, max: 1 }) < options.syntheticRatio;
    const profile = synthetic
      ? inBulk
        ? 'complete'
        : pick(faker, SYNTHETIC_PROFILES)
      : pick(faker, [
          ['authentic', 0.9],
          ['authentic-low-confidence', 0.1]
        ]);
    const provenance: ProvenanceValues = {
      ...provenanceFor(faker, profile, createdAt, reference, inBulk),
      Provenance_Batch__c: seedBatch(options.seed, createdAt)
    };

    const policy = policyFor(policySet, object);
    const record: ProvenanceValues = { ...provenance, Synthetic_Status__c: null };
    const content = { ...fields };
    const hash = provenanceHash(content);
    // A few records arrive through a data migration under the bypass permission: stored as sent,
    // audited as Bypass. They are what `sdg audit` later reports as drift and undisclosed AI.
    const bypassed = !inBulk && faker.number.float({ min: 0, max: 1 }) < 0.03;
    const decision: PolicyDecision = bypassed
      ? {
          decision: 'ACCEPT',
          status: null,
          synthetic: provenance.Synthetic_Data__c === true,
          reasons: []
        }
      : decide({
          policy,
          record: { ...record, Provenance_Hash__c: hash },
          context: {
            now: createdAt.toISOString(),
            canReview: false,
            syntheticSeenBefore: inBulk ? bulkSeen : 0
          },
          registry
        });
    if (inBulk) {
      bulkRemaining--;
      if (decision.synthetic) bulkSeen++;
    }
    produced++;
    const eventBase = {
      occurredAt: createdAt.toISOString(),
      actingUser: ACTING_USER,
      decision: decision.decision,
      reasonCodes: decision.reasons.join(';'),
      eventKey: createHash('sha256').update(`seed|${options.seed}|${produced}`).digest('hex'),
      objectType: object
    };
    if (decision.decision === 'REJECT') {
      yield {
        kind: 'rejected',
        record: {
          object,
          fields: {
            Id: null,
            ...fields,
            CreatedDate: createdAt.toISOString(),
            ...provenance,
            Source_Record_Id__c: seedKey(options.seed, `R${produced}`)
          },
          decision,
          profile,
          claimed: provenance
        }
      };
      yield* appendEvent({
        ...eventBase,
        eventType: 'Reject',
        recordId: '',
        payload: payloadOf(object, '', provenance, decision, hash, 'Reject', null)
      });
      continue;
    }
    const id = nextId(object);
    const full: SeededRecord['fields'] = {
      Id: id,
      ...fields,
      CreatedDate: createdAt.toISOString(),
      ...provenance,
      Synthetic_Data__c: decision.synthetic,
      Provenance_Hash__c: bypassed ? null : hash,
      Synthetic_Status__c: decision.status,
      Synthetic_Reasons__c: storedReasonText(decision.reasons),
      Synthetic_Reviewed_By__c: null,
      Synthetic_Reviewed_At__c: null,
      Source_Record_Id__c: seedKey(options.seed, id)
    };
    if (object === 'Account') {
      currentAccount = { id, synthetic: decision.synthetic };
      contactOfAccount = null;
    }
    if (object === 'Contact') contactOfAccount = id;
    yield {
      kind: 'record',
      record: {
        object,
        fields: full,
        decision,
        profile: bypassed ? `${profile}, bypassed` : profile,
        claimed: provenance
      }
    };
    const eventType = bypassed
      ? 'Bypass'
      : decision.decision === 'QUARANTINE'
        ? 'Quarantine'
        : 'Decision';
    const payload = payloadOf(
      object,
      id,
      provenance,
      decision,
      hash,
      eventType,
      bypassed ? 'PERMISSION' : null
    );
    yield* appendEvent({
      ...eventBase,
      ...(bypassed ? { decision: '', reasonCodes: '' } : {}),
      eventType,
      recordId: id,
      payload
    });
  }
}

function baseFields(
  faker: Faker,
  object: GovernedObject,
  accountId: string | null,
  contactId: string | null
): Record<string, string | number | null> {
  switch (object) {
    case 'Account':
      return {
        Name: faker.company.name(),
        Industry: faker.helpers.arrayElement([
          'Technology',
          'Banking',
          'Healthcare',
          'Retail',
          'Manufacturing'
        ]),
        BillingCity: faker.location.city(),
        BillingCountry: faker.location.country(),
        Website: faker.internet.url()
      };
    case 'Contact':
      return {
        AccountId: accountId,
        FirstName: faker.person.firstName(),
        LastName: faker.person.lastName(),
        Email: faker.internet.email().toLowerCase(),
        Phone: faker.phone.number({ style: 'international' }),
        Title: faker.person.jobTitle()
      };
    case 'Opportunity':
      return {
        AccountId: accountId,
        Name: `${faker.commerce.productName()} deal`,
        StageName: faker.helpers.arrayElement([
          'Prospecting',
          'Qualification',
          'Proposal/Price Quote',
          'Closed Won'
        ]),
        Amount: faker.number.int({ min: 1, max: 500 }) * 1000,
        CloseDate: faker.date
          .soon({ days: 120, refDate: '2026-06-01T00:00:00Z' })
          .toISOString()
          .slice(0, 10)
      };
    case 'Case':
      return {
        AccountId: accountId,
        ContactId: contactId,
        Subject: faker.hacker.phrase().slice(0, 120),
        Status: faker.helpers.arrayElement(['New', 'Working', 'Escalated']),
        Origin: faker.helpers.arrayElement(['Web', 'Email', 'Phone']),
        Priority: faker.helpers.arrayElement(['Low', 'Medium', 'High'])
      };
    default:
      return {
        FirstName: faker.person.firstName(),
        LastName: faker.person.lastName(),
        Company: faker.company.name(),
        Email: faker.internet.email().toLowerCase(),
        Status: 'Open - Not Contacted',
        LeadSource: faker.helpers.arrayElement(['Web', 'Partner Referral', 'Purchased List'])
      };
  }
}

/** A record that claims nothing: no AI flag, model, time, method, source or confidence. */
const NO_PROVENANCE: ProvenanceValues = {
  Synthetic_Data__c: false,
  AI_Model__c: null,
  Generated_At__c: null,
  Generation_Method__c: null,
  Provenance_Source__c: null,
  Synthetic_Confidence__c: null
};

/**
 * A DateTime field keeps whole seconds: a claim sent with milliseconds comes back without them,
 * so a re-seed would look like a changed claim (a provenance overwrite) to the triggers.
 */
function wholeSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString();
}

function provenanceFor(
  faker: Faker,
  profile: string,
  createdAt: Date,
  reference: number,
  bulk: boolean
): ProvenanceValues {
  const generatedAt = wholeSeconds(
    createdAt.getTime() - faker.number.int({ min: 1_000, max: 3_600_000 })
  );
  const complete: ProvenanceValues = {
    Synthetic_Data__c: true,
    AI_Model__c: faker.helpers.arrayElement(TRUSTED_MODELS),
    Generated_At__c: generatedAt,
    Generation_Method__c: 'trainedAlgorithmicMedia',
    Provenance_Source__c: bulk ? 'Bulk Import Job 7731' : faker.helpers.arrayElement(SOURCES),
    Synthetic_Confidence__c: null
  };
  switch (profile) {
    case 'authentic':
      return { ...NO_PROVENANCE };
    case 'authentic-low-confidence':
      return { ...NO_PROVENANCE, Synthetic_Confidence__c: faker.number.int({ min: 1, max: 30 }) };
    case 'missing-source':
      return { ...complete, Provenance_Source__c: null };
    case 'missing-method':
      return { ...complete, Generation_Method__c: null };
    case 'flag-only':
      return { ...NO_PROVENANCE, Synthetic_Data__c: true };
    case 'untrusted-model':
      return { ...complete, AI_Model__c: faker.helpers.arrayElement(UNTRUSTED_MODELS) };
    case 'high-confidence':
      return { ...complete, Synthetic_Confidence__c: faker.number.int({ min: 86, max: 99 }) };
    case 'review-confidence':
      return { ...complete, Synthetic_Confidence__c: faker.number.int({ min: 55, max: 80 }) };
    case 'undisclosed':
      return { ...complete, Synthetic_Data__c: false };
    case 'future-timestamp':
      return {
        ...complete,
        Generated_At__c: wholeSeconds(
          reference + faker.number.int({ min: 2, max: 30 }) * 86_400_000
        )
      };
    default:
      return complete;
  }
}

/** The payload the org's SyntheticAuditPublisher writes (same keys, same order). */
function payloadOf(
  object: string,
  recordId: string,
  p: ProvenanceValues,
  decision: PolicyDecision,
  contentHash: string,
  eventType: string,
  bypass: string | null
): string {
  return JSON.stringify({
    aiModel: p.AI_Model__c ?? null,
    bypass,
    contentHash,
    decision: bypass ? null : decision.decision,
    eventType,
    generatedAt: p.Generated_At__c ?? null,
    generationMethod: p.Generation_Method__c ?? null,
    objectType: object,
    provenanceSource: p.Provenance_Source__c ?? null,
    reasons: decision.reasons,
    recordId: recordId || null,
    status: decision.status,
    synthetic: decision.synthetic,
    syntheticConfidence:
      p.Synthetic_Confidence__c === null || p.Synthetic_Confidence__c === undefined
        ? null
        : String(p.Synthetic_Confidence__c)
  });
}
