/**
 * `sdg erase --target-org <alias> --record <id>`: an erasure request (GDPR Art. 17) for one
 * record, sent to the package's `POST /services/apexrest/synthetic/v1/erasures`
 * (`SyntheticErasureResource`), which deletes the record's audit notes, clears its recall
 * backups and detector evidence, and appends an Erasure event. The chain is not touched, so
 * `sdg verify-chain` still passes on a later export.
 */
import { CommandIo } from '../cli/io';
import { exitOnUserError, UsageError } from '../cli/errors';
import { connectOrg, explainApiError, OrgConnectError } from '../org/org-connection';
import { OrgApiError, SalesforceApi } from '../org/salesforce-api';

export interface EraseOptions {
  targetOrg?: string;
  record?: string;
  json?: boolean;
}

/** The package's erasure endpoint. */
export const ERASURE_API = '/services/apexrest/synthetic/v1/erasures';

/** Exit codes: 0 erased (or nothing kept), 1 more remains (run again), 2 usage or org error. */
export const ERASE_EXIT = { DONE: 0, INCOMPLETE: 1, ERROR: 2 } as const;

/** What the org answers for an erasure. */
export interface ErasureResult {
  recordId: string;
  notesErased: number;
  backupsCleared: number;
  detectionsCleared: number;
  noteDigests: string[];
  complete: boolean;
  eventKey: string | null;
  /** Why notes could not be emptied from the Recycle Bin (then complete is false); absent from older orgs. */
  recycleBinErrors?: string[];
}

const RECORD_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/** What to tell the user when the org refuses. */
export function explainEraseError(error: OrgApiError, org: string): string {
  if (error.errorCode === 'MISSING_PERMISSION')
    return `${error.message} Assign the Synthetic_Data_Admin permission set (Administer_Synthetic_Policy) to the user sdg logs in as in ${org}.`;
  if (error.status === 404 && error.errorCode === 'NOT_FOUND')
    return `${org} has no ${ERASURE_API} (${error.message}): deploy this version of Synthetic Data Guard first (sdg deploy --target-org ${org}).`;
  if (error.errorCode === 'ERASURE_NOT_AUDITED')
    return `${error.message} Nothing was erased in ${org}; run the same command again later.`;
  return explainApiError(error, org);
}

function parse(options: EraseOptions): { org: string; record: string } {
  if (!options.targetOrg) throw new UsageError('Give --target-org <alias>: the org to erase in.');
  const record = (options.record ?? '').trim();
  if (!RECORD_ID.test(record))
    throw new UsageError(
      `--record ${record || '(missing)'} is not a record Id: give the 15- or 18-character Id of the record whose personal data is to be erased.`
    );
  return { org: options.targetOrg, record };
}

function describe(result: ErasureResult, org: string): string {
  const what = `${result.notesErased} audit note(s), ${result.backupsCleared} recall backup(s), ${result.detectionsCleared} detector evidence value(s)`;
  if (!result.eventKey) return `Nothing of ${result.recordId} is kept beside the record in ${org}.`;
  const stuck = result.recycleBinErrors ?? [];
  const bin = stuck.length
    ? ` ${stuck.length} note(s) were deleted but not emptied from the Recycle Bin (${stuck[0]}): run it as a user who can empty them, or empty the Recycle Bin in Setup.`
    : '';
  const more = result.complete ? '' : ` More remains: run the same command again.${bin}`;
  return `Erased for ${result.recordId} in ${org}: ${what}. Audited as Erasure event ${result.eventKey}.${more}`;
}

/** `sdg erase`: exit 0 erased, 1 more remains, 2 usage or org error. */
export async function runErase(
  options: EraseOptions,
  io: CommandIo,
  connect: (org: string) => Promise<SalesforceApi> = connectOrg
): Promise<number> {
  return exitOnUserError(io, async () => {
    const { org, record } = parse(options);
    const api = await connect(org);
    let result: ErasureResult;
    try {
      // Not repeated after a lost answer: the org may have erased and audited it already;
      // a re-run is harmless (it finds nothing left and appends nothing).
      result = await api.json<ErasureResult>('POST', ERASURE_API, { recordId: record });
    } catch (error) {
      if (error instanceof OrgApiError) throw new OrgConnectError(explainEraseError(error, org));
      throw error;
    }
    io.out(options.json ? JSON.stringify(result, null, 2) : describe(result, org));
    return result.complete ? ERASE_EXIT.DONE : ERASE_EXIT.INCOMPLETE;
  });
}
