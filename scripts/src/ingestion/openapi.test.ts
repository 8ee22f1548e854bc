import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { validate, dereference } from '@readme/openapi-parser';
import Ajv2020 from 'ajv/dist/2020';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../project-root';
import { REASON_CODES } from '../policy/reason-codes';
import { DISCLOSURE_HEADERS } from './disclosure-headers';
import { evaluateRequest } from './ingestion-service';
import { loadIngestionVectors } from './ingestion-vectors';
import { scanBuffer } from '../media/media-provenance-scanner';
import { SCANNED_BY, type ScanSubmission } from '../media/scan-org';

const DOC = path.join(PROJECT_ROOT, 'docs', 'ingestion-api.openapi.yaml');
const load = () => parse(fs.readFileSync(DOC, 'utf8')) as Record<string, unknown>;

interface Doc {
  paths: Record<string, { post: { parameters: { name: string }[] } }>;
  components: { schemas: Record<string, Record<string, unknown>> };
}

describe('docs/ingestion-api.openapi.yaml', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await validate(load() as never);
    expect(result.valid ? [] : result.errors).toEqual([]);
    const broken = load() as { info: Record<string, unknown> };
    delete broken.info.title;
    expect((await validate(broken as never)).valid).toBe(false);
  });

  it('documents every disclosure header, reason code and endpoint', () => {
    const doc = load() as unknown as Doc;
    const headers = doc.paths['/records/{object}']!.post.parameters.map((p) => p.name);
    expect(headers).toEqual(expect.arrayContaining([...DISCLOSURE_HEADERS]));
    expect(doc.components.schemas.ReasonCode!.enum).toEqual([...REASON_CODES]);
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/detections',
      '/media-scans',
      '/records/{object}'
    ]);
  });

  it('describes what the validator answers for every shared payload vector', async () => {
    const doc = (await dereference(load() as never)) as unknown as Doc;
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    ajv.addFormat('date-time', true);
    ajv.addFormat('uri', true);
    const check = ajv.compile(doc.components.schemas.IngestionResponse!);
    const file = loadIngestionVectors();
    for (const vector of file.payloads) {
      const response = evaluateRequest(
        { objectName: vector.object, headers: vector.headers, body: vector.body },
        { policy: file.payloadDefaults.policy, now: file.payloadDefaults.now }
      );
      const valid = check(JSON.parse(JSON.stringify(response)));
      expect({ vector: vector.name, errors: check.errors ?? null }).toEqual({
        vector: vector.name,
        errors: valid ? null : check.errors
      });
      expect(valid).toBe(true);
    }
  });

  describe('/media-scans', () => {
    const compile = async (schema: string) => {
      const doc = (await dereference(load() as never)) as unknown as Doc;
      const ajv = new Ajv2020({ strict: false, allErrors: true });
      return ajv.compile(doc.components.schemas[schema]!);
    };
    // What sdg scan --target-org sends for a GIF (scan-org.ts builds it the same way).
    const gif = Buffer.from(
      '474946383961010001008000000000000000002c00000000010001000002024401003b',
      'hex'
    );
    const submission: ScanSubmission = {
      contentVersionId: '068000000000001AAA',
      sha256: createHash('sha256').update(gif).digest('hex'),
      md5: createHash('md5').update(gif).digest('hex'),
      scannedBy: SCANNED_BY,
      scannerVersion: '0.1.0',
      ...scanBuffer(gif)
    };

    it('documents every status the resource answers, each with the response schema', () => {
      const doc = load() as unknown as {
        paths: Record<string, { post: { responses: Record<string, unknown> } }>;
      };
      expect(Object.keys(doc.paths['/media-scans']!.post.responses).sort()).toEqual([
        '200',
        '400',
        '403',
        '404',
        '409',
        '503'
      ]);
    });

    it('accepts what the CLI sends and refuses what the Apex service refuses', async () => {
      const check = await compile('MediaScanRequest');
      expect({
        valid: check(JSON.parse(JSON.stringify(submission))),
        errors: check.errors ?? null
      }).toEqual({
        valid: true,
        errors: null
      });
      expect(check({ ...submission, sha256: 'ABC' })).toBe(false);
      expect(check({ ...submission, verdict: 'too-large' })).toBe(false);
      expect(check({ ...submission, contentVersionId: '001000000000001AAA' })).toBe(false);
      const withoutMd5: Partial<ScanSubmission> = { ...submission };
      delete withoutMd5.md5;
      expect(check(withoutMd5)).toBe(false);
    });

    it('describes the answers the Apex service serializes (nulls left out)', async () => {
      const check = await compile('MediaScanResponse');
      const answers = [
        {
          status: 200,
          contentVersionId: submission.contentVersionId,
          verdict: 'ai-generated',
          applied: true,
          syntheticStatus: 'Quarantined',
          reasons: ['MEDIA_AI_MARKER'],
          errors: []
        },
        {
          status: 400,
          errors: [{ code: 'INVALID_FIELD', message: 'sha256 is missing', field: 'sha256' }]
        },
        {
          status: 403,
          errors: [{ code: 'MISSING_PERMISSION', message: 'lacks Submit_External_Scan' }]
        },
        {
          status: 404,
          contentVersionId: submission.contentVersionId,
          errors: [{ code: 'UNKNOWN_FILE', message: 'gone' }]
        },
        {
          status: 409,
          contentVersionId: submission.contentVersionId,
          errors: [{ code: 'DIGEST_MISMATCH', message: 'other bytes' }]
        },
        {
          status: 409,
          contentVersionId: submission.contentVersionId,
          errors: [{ code: 'ALREADY_SCANNED', message: 'decided' }]
        },
        {
          status: 409,
          contentVersionId: submission.contentVersionId,
          errors: [{ code: 'SCAN_PENDING', message: 'queued' }]
        }
      ];
      for (const answer of answers) {
        expect({ answer, errors: check(answer) ? null : check.errors }).toEqual({
          answer,
          errors: null
        });
      }
      expect(check({ status: 500 })).toBe(false);
    });
  });
});
