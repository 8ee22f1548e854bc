import fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import { GroupSpill } from './group-spill';

function join(rows: [string, string][], probes: string[], limit: number) {
  const j = new GroupSpill<[number, string]>('group-test', limit, 4);
  const answers: [number, string, readonly string[]][] = [];
  const record = ([i, key]: [number, string], values: readonly string[]) =>
    answers.push([i, key, values]);
  rows.forEach(([key, value]) => j.add(key, value));
  const spilled = j.spilled;
  probes.forEach((key, i) => j.probe(key, [i, key], record));
  j.finish(record);
  return { spilled, answers: answers.sort((a, b) => a[0] - b[0]) };
}

describe('GroupSpill', () => {
  it('hands every probe the values of its key in the order added, in memory and spilled', () => {
    const key = fc.oneof(fc.stringMatching(/^[0-9A-Za-z]{1,18}$/), fc.string({ maxLength: 4 }));
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            key,
            fc.string({ maxLength: 8 }).map((v) => JSON.stringify(v))
          ),
          {
            maxLength: 60
          }
        ),
        fc.array(key, { maxLength: 40 }),
        (rows, others) => {
          const probes = [...rows.slice(0, 20).map(([k]) => k), ...others];
          const expected = probes.map((k, i): [number, string, string[]] => [
            i,
            k,
            rows.filter(([r]) => r === k).map(([, v]) => v)
          ]);
          expect(join(rows, probes, 1_000).answers).toEqual(expected);
          const small = join(rows, probes, 2);
          expect(small.answers).toEqual(expected);
          expect(small.spilled).toBe(rows.length > 2);
        }
      ),
      { numRuns: 200 }
    );
  });

  it('writes a line longer than its buffer whole, and removes its files when closed early', () => {
    const j = new GroupSpill<string>('group-close', 1, 2);
    const long = 'x'.repeat(40_000);
    j.add('a', long);
    j.add('b', 'short');
    expect(j.spilled).toBe(true);
    const seen: (readonly string[])[] = [];
    j.probe('a', 'p', (_p, values) => seen.push(values));
    j.finish((_p, values) => seen.push(values));
    expect(seen).toEqual([[long]]);
    const early = new GroupSpill<string>('group-close', 1, 2);
    early.add('a', '1');
    early.add('a', '2');
    early.close();
    expect(early.spilled).toBe(false);
    expect(fs.readdirSync(os.tmpdir()).some((f) => f.startsWith('sdg-group-close-'))).toBe(false);
  });
});
