import { OrgApiError, type QueryRow, type SalesforceApi } from '../org/salesforce-api';
import {
  readUnreadableFiles,
  UNREADABLE_FILES_QUERY,
  UNREVIEWED_UNREADABLE_FILES_QUERY,
  unreadableMediaFindings
} from './media-audit';

function orgWith(rows: Record<string, string>[] | OrgApiError): {
  api: SalesforceApi;
  queries: string[];
} {
  const queries: string[] = [];
  const api = {
    session: { username: 'auditor@sdg.test' },
    async *query(soql: string): AsyncGenerator<QueryRow> {
      queries.push(soql);
      await Promise.resolve();
      if (rows instanceof OrgApiError) throw rows;
      for (const [i, fields] of rows.entries()) yield { fields, where: `ContentVersion row ${i}` };
    }
  } as unknown as SalesforceApi;
  return { api, queries };
}

describe('SDG-12: files whose C2PA provenance the scan could not read', () => {
  it('counts unreadable files awaiting review as a medium finding with the query that lists them', async () => {
    const { api, queries } = orgWith([
      { Id: '068A', Synthetic_Status__c: 'Quarantined' },
      { Id: '068B', Synthetic_Status__c: '' },
      { Id: '068C', Synthetic_Status__c: 'Released' }
    ]);
    const findings = unreadableMediaFindings(await readUnreadableFiles(api));
    expect(queries).toEqual([UNREADABLE_FILES_QUERY]);
    expect(findings.map((f) => [f.control, f.severity, f.count, f.recordIds])).toEqual([
      ['SDG-12', 'medium', 2, ['068A', '068B']],
      ['SDG-12', 'info', 1, ['068C']]
    ]);
    expect(findings[0]!.query).toBe(UNREVIEWED_UNREADABLE_FILES_QUERY);
    expect(findings[0]!.query).toContain("Media_Scan_Verdict__c = 'unreadable'");
    expect(findings[0]!.query).toContain("NOT IN ('Released','Authentic','Rejected')");
    expect(findings[0]!.detail).toContain('sdg scan --verify');
  });

  it('passes with no finding when no file is unreadable', async () => {
    expect(unreadableMediaFindings(await readUnreadableFiles(orgWith([]).api))).toEqual([]);
  });

  it('says the control was not checked (never a silent pass) when the org cannot answer', async () => {
    const { api } = orgWith(
      new OrgApiError("No such column 'Media_Scan_Verdict__c'", 'INVALID_FIELD', 400)
    );
    const [finding, ...rest] = unreadableMediaFindings(await readUnreadableFiles(api));
    expect(rest).toEqual([]);
    expect(finding!.severity).toBe('medium');
    expect(finding!.detail).toContain('auditor@sdg.test');
    expect(finding!.detail).toContain('INVALID_FIELD');
  });

  it('lets other org errors through to the command (session expired, network)', async () => {
    const { api } = orgWith(new OrgApiError('Session expired', 'INVALID_SESSION_ID', 401));
    await expect(readUnreadableFiles(api)).rejects.toThrow('Session expired');
  });
});
