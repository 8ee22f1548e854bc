import type { DetectorMode } from '../policy/provenance-policy';

/**
 * Verdicts the in-org scan cannot decide: the file is over the in-org size limit (`too-large`, a
 * platform verdict), holds a C2PA reference the scan could not read, or was stopped before its
 * scan ended (`not-scanned`: the CPU, heap or single-read budget, or the job's finalizer).
 */
const UNDECIDED: ReadonlySet<string> = new Set(['too-large', 'unreadable', 'not-scanned']);

/**
 * Whether a file with this scan verdict goes to the deepfake detector under the ContentVersion
 * policy's `Detector_Mode__c` (blank: `Never`). Twin of `MediaDetectorDispatch.sends` in Apex;
 * the cases of `MediaDetectorModeVectors.json` hold both to the same answers.
 */
export function sendsToDetector(
  mode: DetectorMode | null | undefined,
  /** A `Media_Scan_Verdict__c` value: a scan verdict, or a platform one (`too-large`, `pending`). */
  verdict: string
): boolean {
  if (mode === 'Undecided') return UNDECIDED.has(verdict);
  if (mode === 'Undecided_Or_No_Marker') return UNDECIDED.has(verdict) || verdict === 'no-marker';
  return false;
}
