import { decide, PolicyInput, ProvenanceValues } from '../src/policy/provenance-policy';
import { loadPolicyVectors } from '../src/policy/policy-vectors';
import { TrustedSourceRegistry } from '../src/policy/trusted-source-registry';

/** Result of one benchmark, printed as a table row and kept as JSON. */
export interface BenchResult {
  name: string;
  items: number;
  seconds: number;
  perSecond: number;
  peakRssMb: number;
  notes: string;
  /** An export audit pass's figures against the bare Papa Parse pass (printed side by side). */
  audit?: AuditComparison;
}

/** Wall and CPU figures of one audit pass, and their ratios to a bare Papa Parse pass. */
export interface AuditComparison {
  format: 'CSV' | 'tree JSON';
  /** Where the chain was verified: a worker thread beside the record audit, or the main thread. */
  mode: AuditMode;
  records: number;
  rows: number;
  wallSeconds: number;
  cpuSeconds: number;
  /** The busier thread's CPU (main or event worker): the wall time idle cores would give. */
  criticalCpuSeconds: number;
  papaWallSeconds: number;
  papaCpuSeconds: number;
  peakRssMb: number;
  /** Resident set when the audit had returned, before the process exited. */
  endRssMb: number;
  /** Resident set sampled from outside the process every ~2 s (MB; Linux only, else empty). */
  rssMbOverTime: number[];
}

/** The audit's two ways to verify the chain (`SDG_AUDIT_WORKER=1` and `=0`). */
export type AuditMode = 'event worker' | 'in process';

const MODELS = [
  'openai/gpt-4o-2024-08-06',
  'anthropic/claude-3-5-sonnet',
  'local/llama-3',
  'mistral/large',
  null
];
const METHODS = ['trainedAlgorithmicMedia', 'digitalCapture', 'compositeSynthetic', null];

/** Deterministic pseudo-random records (a linear congruential generator keeps runs comparable). */
function* records(count: number): Generator<ProvenanceValues> {
  let state = 42;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < count; i++) {
    const synthetic = next() < 0.4;
    yield {
      Synthetic_Data__c: synthetic,
      AI_Model__c: synthetic ? MODELS[Math.floor(next() * MODELS.length)] : null,
      Generated_At__c: synthetic ? '2026-05-01T10:00:00.000Z' : null,
      Generation_Method__c: METHODS[Math.floor(next() * METHODS.length)],
      Provenance_Source__c: next() < 0.8 ? 'Marketing Webhook' : null,
      Synthetic_Confidence__c: next() < 0.5 ? Math.round(next() * 10000) / 100 : null,
      Synthetic_Status__c: null
    };
  }
}

/** Decisions per second of the TypeScript policy engine over `count` generated records. */
export function benchPolicy(count = 1_000_000): BenchResult {
  const { defaults } = loadPolicyVectors();
  const base: Omit<PolicyInput, 'record'> = {
    policy: defaults.policy,
    context: { ...defaults.context },
    registry: new TrustedSourceRegistry(defaults.trustedSources)
  };
  const tally = new Map<string, number>();
  let peak = process.memoryUsage().rss;
  const started = process.hrtime.bigint();
  let i = 0;
  for (const record of records(count)) {
    const decision = decide({ ...base, record });
    tally.set(decision.decision, (tally.get(decision.decision) ?? 0) + 1);
    if (++i % 100_000 === 0) peak = Math.max(peak, process.memoryUsage().rss);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    name: 'policy: TypeScript decisions',
    items: count,
    seconds,
    perSecond: Math.round(count / seconds),
    peakRssMb: Math.round(peak / 1024 / 1024),
    notes: [...tally].map(([decision, n]) => `${decision} ${n}`).join(', ')
  };
}
