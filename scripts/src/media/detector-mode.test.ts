import fs from 'node:fs';
import path from 'node:path';
import { testStaticResources } from '../project-root';
import type { DetectorMode } from '../policy/provenance-policy';
import { sendsToDetector } from './detector-mode';

interface DetectorModeCase {
  mode: DetectorMode | null;
  verdict: string;
  sends: boolean;
}

const file = path.join(testStaticResources('media'), 'MediaDetectorModeVectors.json');
const { cases } = JSON.parse(fs.readFileSync(file, 'utf8')) as { cases: DetectorModeCase[] };

describe('detector mode: shared vectors (MediaDetectorDispatchTest runs the same file)', () => {
  it.each(cases.map((c) => [`${c.mode ?? 'blank'} / ${c.verdict}`, c] as const))(
    '%s',
    (_name, c) => {
      expect(sendsToDetector(c.mode, c.verdict)).toBe(c.sends);
    }
  );

  it('sends nothing under Never or a blank mode, and never a decided verdict', () => {
    expect(cases.filter((c) => c.sends && (c.mode ?? 'Never') === 'Never')).toEqual([]);
    expect(
      cases.filter((c) => c.sends && ['ai-generated', 'provenance-stripped'].includes(c.verdict))
    ).toEqual([]);
  });
});
