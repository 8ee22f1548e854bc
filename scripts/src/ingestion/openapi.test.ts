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
    expect(Object.keys(doc.paths).sort()).toEqual(['/detections', '/records/{object}']);
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
});
