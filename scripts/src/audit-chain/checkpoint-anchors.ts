import type * as pkijs from 'pkijs';
import type { AuditEvent } from './canonical';
import { checkSignature, parseCheckpoint, SignatureCheck, VerificationKeys } from './signatures';
import { checkpointBytes, verifyTimestampToken } from './timestamp-token';

/** What anchors a checkpoint outside the chain itself. */
export type CheckpointAnchor =
  'org-signed and timestamped' | 'org-signed' | 'timestamped' | 'neither';

/** The state of a checkpoint's RFC 3161 token. */
export type TimestampState = 'valid' | 'invalid' | 'missing' | 'unchecked';

/** One checkpoint in the `--json` report. */
export interface CheckpointReport {
  sequence: number;
  anchor: CheckpointAnchor;
  signature: SignatureCheck;
  timestamp: TimestampState;
  /** The TSA's time (genTime) of a token that could be read. */
  genTime?: string;
  /** Why a token is invalid. */
  detail?: string;
}

/** Counts over every checkpoint. */
export interface TimestampSummary {
  valid: number;
  invalid: number;
  missing: number;
  unchecked: number;
}

/**
 * Classifies each checkpoint as org-signed, timestamped (a valid RFC 3161 token from a TSA that
 * chains to `--tsa-trust`), both, or neither. Holds one row per checkpoint (one per
 * Checkpoint_Interval__c events), never the events.
 */
export class CheckpointAnchors {
  private readonly rows: CheckpointReport[] = [];
  private readonly summary: TimestampSummary = { valid: 0, invalid: 0, missing: 0, unchecked: 0 };

  constructor(
    private readonly keys: VerificationKeys,
    private readonly trust: pkijs.Certificate[] | undefined
  ) {}

  /** Looks at an event; only checkpoints are recorded. */
  async push(event: AuditEvent): Promise<void> {
    if (event.eventType !== 'Checkpoint') return;
    const checkpoint = parseCheckpoint(event.payload);
    // A payload that attests nothing is already a chain break; it has no anchor to report.
    if (!checkpoint) return;
    const signature = checkSignature(checkpoint, event.signature, this.keys);
    const row: CheckpointReport = {
      sequence: event.sequence,
      anchor: 'neither',
      signature,
      timestamp: 'missing'
    };
    const token = event.timestampToken?.trim() ?? '';
    if (token !== '' && this.trust) {
      const check = await verifyTimestampToken(token, checkpointBytes(checkpoint), this.trust);
      row.timestamp = check.valid ? 'valid' : 'invalid';
      if (check.genTime) row.genTime = check.genTime;
      if (check.detail) row.detail = check.detail;
    } else if (token !== '') {
      row.timestamp = 'unchecked';
    }
    row.anchor = anchorOf(signature === 'valid', row.timestamp === 'valid');
    this.summary[row.timestamp]++;
    this.rows.push(row);
  }

  /** The rows and counts so far. */
  result(): { checkpointAnchors: CheckpointReport[]; timestamps: TimestampSummary } {
    return { checkpointAnchors: [...this.rows], timestamps: { ...this.summary } };
  }
}

function anchorOf(signed: boolean, timestamped: boolean): CheckpointAnchor {
  if (signed && timestamped) return 'org-signed and timestamped';
  if (signed) return 'org-signed';
  return timestamped ? 'timestamped' : 'neither';
}
