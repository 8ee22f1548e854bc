import { AuditEvent, eventHash, GENESIS_HASH } from './canonical';
import { checkSignature, parseCheckpoint, VerificationKeys } from './signatures';

/** What kind of tampering a break indicates. */
export type BreakKind = 'edited' | 'deleted' | 'inserted' | 'reordered' | 'truncated' | 'signature';

/** The first place the chain stops being trustworthy. */
export interface ChainBreak {
  sequence: number;
  kind: BreakKind;
  detail: string;
}

/** Clock skew between app servers that the order check forgives (seconds). */
export const TIME_TOLERANCE_SECONDS = 60;
/** At most this many reversals are listed; the count is always complete. */
const TIME_REVERSAL_EXAMPLES = 20;

/** An event whose Occurred_At__c is earlier than its predecessor's by more than the tolerance. */
export interface TimeReversal {
  sequence: number;
  occurredAt: string;
  previousOccurredAt: string;
  backwardsSeconds: number;
}

/** The verdict on a whole export; the `--json` output of `sdg verify-chain`. */
export interface ChainReport {
  intact: boolean;
  events: number;
  head: string | null;
  firstBreak: ChainBreak | null;
  checkpoints: { total: number; valid: number; unsigned: number; unchecked: number };
  /** Set when the chain starts after 1 because a retention purge removed older events. */
  purgedThrough: number | null;
  /**
   * Event_Key__c of events published by a save attempt the platform rolled back (a
   * partial-success retry), as named by Rollback events: their record changes were undone. Only
   * chains written before events of saved records were published after commit hold them.
   */
  rolledBack: string[];
  /** Sequences of AppendFailure events: events the org could not append, named in their payload. */
  appendFailures: number[];
  /** Sequences of Erasure events: personal data kept beside the chain was erased (#30). */
  erasures?: number[];
  /**
   * Event times that run backwards as the sequence grows, beyond the tolerance: the chain's
   * hashes may hold, but its times cannot be trusted as written (clock or import problem).
   */
  timeOrder: { toleranceSeconds: number; reversals: number; examples: TimeReversal[] };
}

/**
 * Verifies a chain event by event, in sequence order, holding only the previous event and one
 * event of lookahead: memory stays flat whatever the chain's length. Twin of Apex
 * `AuditChainVerifier` (which runs in the org over the same records).
 */
export class ChainVerifier {
  private previous: AuditEvent | null = null;
  private pending: AuditEvent | null = null;
  private firstBreak: ChainBreak | null = null;
  private events = 0;
  private anchorSeen = false;
  private startOpen: { sequence: number; previousHash: string } | null = null;
  private purgedThrough: number | null = null;
  private readonly rolledBack: string[] = [];
  private readonly appendFailures: number[] = [];
  private readonly erasures: number[] = [];
  private readonly checkpoints = { total: 0, valid: 0, unsigned: 0, unchecked: 0 };
  /** The last event's time as read and as parsed (two fields: no object per event). */
  private lastTimeText = '';
  private lastTimeMillis = NaN;
  private readonly timeOrder = {
    toleranceSeconds: TIME_TOLERANCE_SECONDS,
    reversals: 0,
    examples: [] as TimeReversal[]
  };

  constructor(
    private readonly keys: VerificationKeys = {},
    /** A head hash the compliance team recorded earlier: it must occur in the chain. */
    private readonly expectHead?: string,
    /** Resume after an event already verified (incremental verification from an anchor). */
    startAfter?: AuditEvent
  ) {
    if (startAfter) this.advance(startAfter);
  }

  /** The first break found so far, before finish(). */
  get broken(): ChainBreak | null {
    return this.firstBreak;
  }

  /** Feeds the next event in file order. */
  push(event: AuditEvent): void {
    if (this.pending) this.check(this.pending, event);
    this.pending = event;
  }

  /** Ends the stream and returns the report. */
  finish(): ChainReport {
    if (this.pending) this.check(this.pending, null);
    this.pending = null;
    if (this.startOpen && !this.firstBreak) {
      this.fail(
        1,
        'deleted',
        `events 1..${this.startOpen.sequence - 1} are missing and no retention purge accounts for them`
      );
    }
    if (this.expectHead && !this.anchorSeen && !this.firstBreak) {
      this.fail(
        (this.previous?.sequence ?? 0) + 1,
        'truncated',
        `the anchored head ${this.expectHead} does not occur in the chain`
      );
    }
    return {
      intact: this.firstBreak === null,
      events: this.events,
      head: this.previous?.hash ?? null,
      firstBreak: this.firstBreak,
      checkpoints: { ...this.checkpoints },
      purgedThrough: this.purgedThrough,
      rolledBack: [...this.rolledBack],
      appendFailures: [...this.appendFailures],
      erasures: [...this.erasures],
      timeOrder: { ...this.timeOrder, examples: [...this.timeOrder.examples] }
    };
  }

  private fail(sequence: number, kind: BreakKind, detail: string): void {
    this.firstBreak ??= { sequence, kind, detail };
  }

  private check(event: AuditEvent, next: AuditEvent | null): void {
    this.events++;
    if (this.firstBreak) {
      this.advance(event);
      return;
    }
    const expected = this.previous ? this.previous.sequence + 1 : event.sequence;
    if (eventHash(event) !== event.hash) {
      this.fail(event.sequence, 'edited', `event ${event.sequence} does not match its stored hash`);
    } else if (event.sequence > expected) {
      const swapped = next !== null && next.sequence === expected;
      this.fail(
        expected,
        swapped ? 'reordered' : 'deleted',
        swapped
          ? `event ${expected} comes after event ${event.sequence}`
          : `events ${expected}..${event.sequence - 1} are missing`
      );
    } else if (event.sequence < expected) {
      this.fail(
        event.sequence,
        this.previous && event.sequence === this.previous.sequence ? 'inserted' : 'reordered',
        `event ${event.sequence} appears again after event ${expected - 1}`
      );
    } else if (this.previous === null) {
      this.checkStart(event);
    } else if (event.previousHash !== this.previous.hash) {
      this.fail(
        this.previous.sequence,
        'edited',
        `event ${this.previous.sequence} was changed and re-hashed: event ${event.sequence} links to a different hash`
      );
    }
    if (!this.firstBreak && event.eventType === 'Checkpoint') this.checkCheckpoint(event);
    if (!this.firstBreak && event.eventType === 'Purge') this.notePurge(event);
    if (!this.firstBreak && event.eventType === 'Rollback') this.noteRollback(event);
    if (!this.firstBreak && event.eventType === 'AppendFailure')
      this.appendFailures.push(event.sequence);
    if (!this.firstBreak && event.eventType === 'Erasure') this.erasures.push(event.sequence);
    this.checkTime(event);
    this.advance(event);
  }

  private checkTime(event: AuditEvent): void {
    const previous = this.previous;
    if (!previous || !event.occurredAt || !previous.occurredAt) return;
    // The previous event's time was this event's one call ago: parsed once, not twice.
    const before =
      previous.occurredAt === this.lastTimeText
        ? this.lastTimeMillis
        : Date.parse(previous.occurredAt);
    const at = Date.parse(event.occurredAt);
    this.lastTimeText = event.occurredAt;
    this.lastTimeMillis = at;
    const backwards = (before - at) / 1000;
    if (!(backwards > TIME_TOLERANCE_SECONDS)) return;
    this.timeOrder.reversals++;
    if (this.timeOrder.examples.length < TIME_REVERSAL_EXAMPLES)
      this.timeOrder.examples.push({
        sequence: event.sequence,
        occurredAt: event.occurredAt,
        previousOccurredAt: previous.occurredAt,
        backwardsSeconds: backwards
      });
  }

  private advance(event: AuditEvent): void {
    if (this.expectHead && event.hash === this.expectHead) this.anchorSeen = true;
    this.previous = event;
  }

  private checkStart(event: AuditEvent): void {
    if (event.sequence === 1) {
      if (event.previousHash !== GENESIS_HASH)
        this.fail(1, 'edited', 'the first event does not start from the genesis hash');
    } else {
      // A retention purge may have removed events 1..n-1; a Purge event later in the chain must attest it.
      this.startOpen = { sequence: event.sequence, previousHash: event.previousHash };
    }
  }

  private notePurge(event: AuditEvent): void {
    try {
      const purge = JSON.parse(event.payload) as { purgedThrough?: number; purgedHead?: string };
      if (
        this.startOpen &&
        purge.purgedThrough === this.startOpen.sequence - 1 &&
        purge.purgedHead === this.startOpen.previousHash
      ) {
        this.purgedThrough = purge.purgedThrough;
        this.startOpen = null;
      }
    } catch {
      // A Purge payload that is not JSON attests nothing; the hash already proves it is the stored one.
    }
  }

  // Memory grows with rolled-back attempts only, which are rare; never with the chain.
  private noteRollback(event: AuditEvent): void {
    try {
      const rollback = JSON.parse(event.payload) as { rolledBack?: unknown };
      if (Array.isArray(rollback.rolledBack)) {
        for (const key of rollback.rolledBack)
          if (typeof key === 'string') this.rolledBack.push(key);
      }
    } catch {
      // A Rollback payload that is not JSON names nothing; the hash already proves it is the stored one.
    }
  }

  private checkCheckpoint(event: AuditEvent): void {
    this.checkpoints.total++;
    const checkpoint = parseCheckpoint(event.payload);
    if (
      !checkpoint ||
      !this.previous ||
      checkpoint.sequence !== this.previous.sequence ||
      checkpoint.head !== this.previous.hash
    ) {
      this.fail(
        event.sequence,
        'signature',
        `checkpoint ${event.sequence} does not attest the event before it`
      );
      return;
    }
    const result = checkSignature(checkpoint, event.signature, this.keys);
    if (result === 'invalid') {
      this.fail(
        event.sequence,
        'signature',
        `checkpoint ${event.sequence} has an invalid ${checkpoint.algorithm} signature`
      );
    } else {
      this.checkpoints[result]++;
    }
  }
}
