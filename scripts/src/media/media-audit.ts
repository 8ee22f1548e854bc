import type { Control, Finding } from '../audit/findings';
import { MAX_IDS } from '../audit/findings';
import { OrgApiError, type SalesforceApi } from '../org/salesforce-api';

/** The control `sdg audit --target-org` adds for files whose C2PA provenance the scan could not read. */
export const UNREADABLE_MEDIA_CONTROL: Control = {
  id: 'SDG-12',
  title: 'Files whose C2PA provenance the scan could not read are reviewed'
};

/** Statuses a reviewer gives: the file was looked at. */
const REVIEWED = ['Released', 'Authentic', 'Rejected'];

/** Every latest file version whose scan verdict is `unreadable`, oldest first. */
export const UNREADABLE_FILES_QUERY =
  "SELECT Id, ContentDocumentId, Title, Synthetic_Status__c, Media_Scan_Details__c, CreatedDate FROM ContentVersion WHERE IsLatest = true AND Media_Scan_Verdict__c = 'unreadable' ORDER BY CreatedDate";

/** The query that lists the ones still waiting for a reviewer. */
export const UNREVIEWED_UNREADABLE_FILES_QUERY = UNREADABLE_FILES_QUERY.replace(
  ' ORDER BY',
  ` AND (Synthetic_Status__c = null OR Synthetic_Status__c NOT IN (${REVIEWED.map((s) => `'${s}'`).join(',')})) ORDER BY`
);

/** What the org holds: unreadable files, split by whether a reviewer has decided on them. */
export interface UnreadableFiles {
  waiting: string[];
  reviewed: string[];
  /** Set when the files could not be read (no access, or a package without the scan fields). */
  unreadable: string | null;
}

/** Errors that mean "this org cannot answer the query", not "the audit failed". */
const CANNOT_QUERY = new Set(['INVALID_TYPE', 'INVALID_FIELD', 'INSUFFICIENT_ACCESS']);

/** Reads the unreadable files, streamed: only their Ids are kept. */
export async function readUnreadableFiles(api: SalesforceApi): Promise<UnreadableFiles> {
  const files: UnreadableFiles = { waiting: [], reviewed: [], unreadable: null };
  try {
    for await (const row of api.query(UNREADABLE_FILES_QUERY)) {
      const status = row.fields.Synthetic_Status__c ?? '';
      (REVIEWED.includes(status) ? files.reviewed : files.waiting).push(row.fields.Id ?? '');
    }
  } catch (error) {
    if (error instanceof OrgApiError && CANNOT_QUERY.has(error.errorCode))
      return {
        waiting: [],
        reviewed: [],
        unreadable: `${api.session.username} cannot query ContentVersion.Media_Scan_Verdict__c (${error.errorCode}): install the package version with the media scan and give the auditing user read access to its fields (the Synthetic Data Admin permission set), then audit again to check ${UNREADABLE_MEDIA_CONTROL.id}.`
      };
    throw error;
  }
  return files;
}

/**
 * Findings of SDG-12: unreadable files no reviewer has decided on (medium: the scan could not say
 * whether they declare AI, and the in-org review or `sdg scan --verify` must), and those reviewed
 * (info). A control that could not be checked says so (medium), never passes silently.
 */
export function unreadableMediaFindings(files: UnreadableFiles): Finding[] {
  const base = { control: UNREADABLE_MEDIA_CONTROL.id, object: 'ContentVersion' };
  if (files.unreadable)
    return [
      {
        ...base,
        severity: 'medium',
        title: 'Files were not checked for unreadable C2PA provenance',
        count: 0,
        recordIds: [],
        query: UNREADABLE_FILES_QUERY,
        detail: files.unreadable
      }
    ];
  const findings: Finding[] = [];
  if (files.waiting.length)
    findings.push({
      ...base,
      severity: 'medium',
      title: `${files.waiting.length} file(s) whose C2PA provenance could not be read await review`,
      count: files.waiting.length,
      recordIds: files.waiting.slice(0, MAX_IDS),
      query: UNREVIEWED_UNREADABLE_FILES_QUERY,
      detail:
        'The scan saw a C2PA reference it could not read (UNREADABLE_MEDIA_PROVENANCE): they may declare AI generation. Download them and run sdg scan --verify (c2pa-rs decides), or send them to the detector (Detector_Mode__c), then release or reject them in the review queue with the records they are attached to.'
    });
  if (files.reviewed.length)
    findings.push({
      ...base,
      severity: 'info',
      title: `${files.reviewed.length} file(s) whose C2PA provenance could not be read were reviewed`,
      count: files.reviewed.length,
      recordIds: files.reviewed.slice(0, MAX_IDS),
      query: UNREADABLE_FILES_QUERY,
      detail: 'A reviewer released, confirmed as authentic or rejected each of them.'
    });
  return findings;
}
