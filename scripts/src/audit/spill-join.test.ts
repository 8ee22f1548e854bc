import fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { auditExportFolder } from './export-auditor';
import { SpillJoin } from './spill-join';
import { loadPackagePolicy } from '../policy/package-policy';
import { PROJECT_ROOT } from '../project-root';
import { SAMPLE_HMAC_KEY, seedToFolder } from '../seed/seed-command';

function join(keys: string[], probes: string[], limit: number): [string, boolean][] {
  const j = new SpillJoin('test', limit, 8);
  const answers: [string, boolean][] = [];
  const record = (payload: string, found: boolean) => answers.push([payload, found]);
  keys.forEach((k) => j.add(k));
  probes.forEach((p, i) => j.probe(p, `${i}\t${p}`, record));
  j.finish(record);
  return answers.sort((a, b) => Number(a[0].split('\t')[0]) - Number(b[0].split('\t')[0]));
}

describe('SpillJoin', () => {
  it('answers exactly like a Set, in memory and spilled to disk', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[0-9A-Za-z]{1,18}$/), { maxLength: 60 }),
        fc.array(fc.stringMatching(/^[0-9A-Za-z]{1,18}$/), { maxLength: 60 }),
        (keys, others) => {
          const probes = [...keys.slice(0, 20), ...others];
          const set = new Set(keys);
          const expected = probes.map((p, i): [string, boolean] => [`${i}\t${p}`, set.has(p)]);
          expect(join(keys, probes, 1_000)).toEqual(expected);
          expect(join(keys, probes, 3)).toEqual(expected);
        }
      ),
      { numRuns: 200 }
    );
  });

  it('keeps a spilled line longer than its write buffer whole (values and payloads too)', () => {
    const long = 'a'.repeat(20_000);
    const j = new SpillJoin('long', 1, 2);
    j.add('k1', 'v1');
    j.add('k2', `é${long}`);
    j.add(`${long}x`, 'v3');
    const answers: [string, boolean, string][] = [];
    const record = (payload: string, found: boolean, value: string) =>
      answers.push([payload, found, value]);
    j.probe('k2', `p${long}`, record);
    j.probe(`${long}x`, 'p2', record);
    j.finish(record);
    expect(j.spilled).toBe(false);
    expect(answers).toHaveLength(2);
    expect(answers).toEqual(
      expect.arrayContaining([
        [`p${long}`, true, `é${long}`],
        ['p2', true, 'v3']
      ])
    );
  });

  it('spills past its limit and removes its temporary files when finished', () => {
    const j = new SpillJoin('cleanup', 2, 4);
    ['a', 'b', 'c', 'é-ß'].forEach((k) => j.add(k));
    expect(j.spilled).toBe(true);
    const found: string[] = [];
    j.probe('é-ß', 'x', (p, f) => f && found.push(p));
    j.finish((p, f) => f && found.push(p));
    expect(found).toEqual(['x']);
    expect(j.spilled).toBe(false);
    expect(fs.readdirSync(os.tmpdir()).some((f) => f.startsWith('sdg-cleanup-'))).toBe(false);
  });
});

describe('the audit with spilled joins', () => {
  it('finds the same coverage and lineage findings as in memory', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-spill-'));
    await seedToFolder(dir, {
      count: 1500,
      seed: 9,
      syntheticRatio: 0.5,
      now: '2026-06-01T12:00:00.000Z',
      hmacKey: SAMPLE_HMAC_KEY
    });
    // Drop some events so SDG-09 has something to find.
    const events = path.join(dir, 'Synthetic_Audit_Event__c.csv');
    const lines = fs.readFileSync(events, 'utf8').split('\n');
    fs.writeFileSync(events, lines.slice(0, 400).join('\n') + '\n');
    const options = {
      policy: loadPackagePolicy(PROJECT_ROOT),
      now: '2026-06-01T12:00:00.000Z',
      slaDays: 7
    };
    const memory = await auditExportFolder(dir, options);
    const spilled = await auditExportFolder(dir, { ...options, joinMemoryLimit: 10 });
    // Past 50 ids a finding lists the first 50 met, and a spilled join meets them in another order.
    const counts = (r: typeof memory) =>
      r.findings.map((f) => [
        f.control,
        f.object,
        f.count,
        f.count <= 50 ? [...f.recordIds].sort() : f.recordIds.length
      ]);
    expect(counts(spilled)).toEqual(counts(memory));
    expect(memory.findings.some((f) => f.control === 'SDG-09' && f.count > 50)).toBe(true);
    expect(memory.findings.some((f) => f.control === 'SDG-07')).toBe(true);
  });
});
