import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { captureIo } from '../../test/capture-io';
import { fakeApi, FakeSalesforce } from '../../test/fake-salesforce';
import { loadPackagePolicy } from '../policy/package-policy';
import { PROJECT_ROOT } from '../project-root';
import { runCli } from '../cli/program';
import { candidateSoql, runScanOrg, ScanOrgOptions } from './scan-org';

const policy = loadPackagePolicy(PROJECT_ROOT);
const MEDIA = path.join(PROJECT_ROOT, 'force-app', 'test', 'media', 'staticresources');
const aiJpeg = fs.readFileSync(path.join(MEDIA, 'SdgMedia_C2PA_Jpeg.jpg'));
const plainJpeg = fs.readFileSync(path.join(MEDIA, 'SdgMedia_Plain_Jpeg.jpg'));
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const { version } = JSON.parse(
  fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')
) as { version: string };

let fake: FakeSalesforce;
let stateFile: string;
const connect = (org: string) => Promise.resolve(fakeApi(fake, org));

beforeEach(async () => {
  fake = await new FakeSalesforce({ policy }).start();
  stateFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-scan-org-')), 'state.json');
});
afterEach(() => fake.stop());

interface Summary {
  scanned: number;
  applied: number;
  alreadyRecorded: number;
  failed: number;
  flagged: number;
  stopped: string | null;
  files: {
    id: string;
    verdict?: string;
    applied?: boolean;
    sha256?: string;
    error?: { code: string };
  }[];
}

async function scan(extra: Partial<ScanOrgOptions> = {}, paths: string[] = []) {
  const { io, out, err } = captureIo();
  const code = await runScanOrg(
    paths,
    { targetOrg: 'fake', json: true, stateFile, ...extra },
    io,
    connect
  );
  const json = extra.json ?? true;
  const summary = json && out.length ? (JSON.parse(out.join('\n')) as Summary) : null;
  return { code, summary, err: err.join('\n'), out };
}

const downloads = () => fake.requests.filter((r) => r.path.endsWith('/VersionData')).length;
const file = (id: string) => fake.records.get('ContentVersion')!.get(id)!;

describe('sdg scan --target-org', () => {
  it('scans the open files once each, streamed, and writes the verdicts back with the evidence of where they were scanned', async () => {
    const ai = fake.addFile('dashcam.jpg', aiJpeg, 'too-large');
    const plain = fake.addFile('scan.jpg', plainJpeg, 'pending');
    fake.addFile('done.jpg', plainJpeg, 'no-marker');
    // Uploaded a minute ago: its own scan job may still run, so it is left to the org.
    fake.addFile('fresh.jpg', plainJpeg, 'pending', new Date(Date.now() - 60_000).toISOString());

    const { code, summary } = await scan();

    expect(code).toBe(1);
    expect(summary).toMatchObject({ scanned: 2, applied: 2, failed: 0, flagged: 1 });
    expect(summary!.files.map((f) => [f.id, f.verdict, f.applied])).toEqual([
      [ai, 'ai-generated', true],
      [plain, 'no-marker', true]
    ]);
    expect(downloads()).toBe(2);
    expect(file(ai)).toMatchObject({
      Media_Scan_Verdict__c: 'ai-generated',
      Media_Byte_Hash__c: sha256(aiJpeg),
      Synthetic_Status__c: expect.stringMatching(/Flagged|Quarantined/)
    });
    expect(String(file(ai).Media_Scan_Details__c)).toMatch(/^scanned by sdg-cli /);
    const sourceType = (summary!.files[0] as { digitalSourceType?: string }).digitalSourceType;
    expect(fake.externalScans[0]!.evidence).toBe(
      `ContentVersion ${ai}: ai-generated (${sourceType}); scanned by sdg-cli ${version}, sha256 ${sha256(aiJpeg)}`
    );
    const event = fake.events.find((e) => e.recordId === ai)!;
    expect(JSON.parse(event.payload)).toEqual({
      evidence: expect.stringContaining(`scanned by sdg-cli ${version}, sha256 ${sha256(aiJpeg)}`)
    });

    // A re-run finds nothing open: nothing is downloaded or written again.
    const again = await scan();
    expect(again.code).toBe(0);
    expect(again.summary).toMatchObject({ scanned: 0, applied: 0 });
    expect(downloads()).toBe(2);
  });

  it('builds its query from the open verdicts, --since and --limit', () => {
    const soql = candidateSoql(
      new Date('2026-06-01T12:00:00Z'),
      new Date('2026-05-01T00:00:00Z'),
      50
    );
    expect(soql).toBe(
      "SELECT Id, Title, ContentSize, Media_Scan_Verdict__c, CreatedDate FROM ContentVersion WHERE Media_Scan_Verdict__c IN ('pending', 'too-large', 'not-scanned') AND (Media_Scan_Verdict__c != 'pending' OR CreatedDate < 2026-06-01T11:45:00Z) AND CreatedDate >= 2026-05-01T00:00:00Z ORDER BY CreatedDate LIMIT 50"
    );
  });

  it('takes only files uploaded since --since, at most --limit of them', async () => {
    fake.addFile('old.jpg', plainJpeg, 'too-large', '2026-01-01T00:00:00.000+0000');
    const first = fake.addFile('a.jpg', plainJpeg, 'too-large', '2026-06-01T00:00:00.000+0000');
    fake.addFile('b.jpg', plainJpeg, 'too-large', '2026-06-02T00:00:00.000+0000');
    const { code, summary } = await scan({ since: '2026-05-01', limit: '1' });
    expect(code).toBe(0);
    expect(summary!.files.map((f) => f.id)).toEqual([first]);
  });

  it('a lost answer is sent again and the org does not record it twice', async () => {
    const id = fake.addFile('dashcam.jpg', aiJpeg, 'too-large');
    // The org records the verdict, then the connection drops before its answer.
    fake.faults.dropMediaScanAnswers = 1;
    const { code, summary } = await scan();
    expect(code).toBe(1);
    expect(summary!.files[0]).toMatchObject({ id, verdict: 'ai-generated', applied: false });
    expect(fake.externalScans).toHaveLength(1);
    expect(fake.requests.filter((r) => r.method === 'POST')).toHaveLength(2);
    expect(downloads()).toBe(1);
  });

  it('resumes from the state file without downloading again when the write-back was refused', async () => {
    const id = fake.addFile('dashcam.jpg', aiJpeg, 'too-large');
    fake.faults.noExternalScanPermission = true;
    const refused = await scan();
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('Submit_External_Scan');
    expect(refused.err).toContain('Run the same command again to resume');
    expect(file(id).Media_Scan_Verdict__c).toBe('too-large');
    expect(JSON.parse(fs.readFileSync(stateFile, 'utf8'))).toMatchObject({
      pending: { [id]: { sha256: sha256(aiJpeg), verdict: 'ai-generated' } }
    });

    fake.faults.noExternalScanPermission = false;
    const resumed = await scan();
    expect(resumed.code).toBe(1);
    expect(resumed.summary).toMatchObject({ applied: 1 });
    expect(downloads()).toBe(1);
    expect(JSON.parse(fs.readFileSync(stateFile, 'utf8'))).toMatchObject({
      pending: {},
      done: { [id]: { verdict: 'ai-generated' } }
    });
  });

  it('fetches a download that broke off once more, and names a file whose bytes do not match', async () => {
    const broken = fake.addFile('broken.jpg', plainJpeg, 'too-large');
    const other = fake.addFile('other.jpg', plainJpeg, 'not-scanned');
    fake.faults.brokenDownloads = new Set([broken]);
    file(other).Checksum = '0'.repeat(32);
    const { code, summary } = await scan();
    expect(code).toBe(2);
    expect(summary!.files.find((f) => f.id === broken)).toMatchObject({ applied: true });
    expect(summary!.files.find((f) => f.id === other)).toMatchObject({
      error: { code: 'DIGEST_MISMATCH' }
    });
    expect(downloads()).toBe(3);
  });

  it('keeps the SHA-256 the org computed before its scan stopped, and names a file whose hash differs', async () => {
    const hashed = fake.addFile('hashed.jpg', plainJpeg, 'not-scanned');
    const stale = fake.addFile('stale.jpg', plainJpeg, 'not-scanned');
    file(hashed).Media_Byte_Hash__c = sha256(plainJpeg);
    file(stale).Media_Byte_Hash__c = 'f'.repeat(64);
    const { code, summary } = await scan();
    expect(code).toBe(2);
    expect(summary!.files.find((f) => f.id === hashed)).toMatchObject({ applied: true });
    expect(summary!.files.find((f) => f.id === stale)).toMatchObject({
      error: { code: 'DIGEST_MISMATCH' }
    });
    expect(file(stale).Media_Byte_Hash__c).toBe('f'.repeat(64));
  });

  it('stops with what to do on an expired session, the daily request limit, or a package without the API', async () => {
    fake.addFile('dashcam.jpg', aiJpeg, 'too-large');
    fake.faults.expiredSession = true;
    const expired = await scan();
    expect(expired.code).toBe(2);
    expect(expired.err).toMatch(/Log in again/);
    fake.faults.expiredSession = false;

    fake.faults.requestLimitHits = 1;
    const limited = await scan();
    expect(limited.code).toBe(2);
    expect(limited.err).toMatch(/used up its API requests/);

    fake.faults.noMediaScanApi = true;
    const old = await scan();
    expect(old.code).toBe(2);
    expect(old.err).toMatch(/deploy this version of Synthetic Data Guard/);
  });

  it('refuses files and an org together, a bad --since or --limit, and no target at all', async () => {
    expect((await scan({}, ['uploads'])).err).toMatch(/Scan files or an org, not both/);
    expect((await scan({ since: 'yesterday' })).code).toBe(2);
    expect((await scan({ limit: '0' })).err).toMatch(/--limit must be a whole number/);
    const { io, err } = captureIo();
    expect(await runCli(['scan'], io)).toBe(2);
    expect(err.join('\n')).toMatch(/--target-org <alias> to scan an org/);
  });

  it('prints one line per file and a summary without --json', async () => {
    fake.addFile('dashcam.jpg', aiJpeg, 'too-large');
    const { code, out } = await scan({ json: false });
    expect(code).toBe(1);
    expect(out[0]).toMatch(/^⚠ 068\w+ dashcam\.jpg: ai-generated \(was too-large; written back/);
    expect(out.at(-1)).toMatch(/1 file\(s\) of fake scanned and written back \(1 new/);
  });
});
