import fs from 'node:fs';
import path from 'node:path';
import { testStaticResources } from '../project-root';
import { sideDataExpired } from './retention-policy';

interface SideDataCase {
  name: string;
  syntheticRetentionDays: number | null;
  written: string | null;
  now: string;
  expired: boolean;
}

const { cases } = JSON.parse(
  fs.readFileSync(path.join(testStaticResources('policy'), 'SideDataRetentionVectors.json'), 'utf8')
) as { cases: SideDataCase[] };

describe('side-data retention on the shared vectors (SyntheticErasureServiceTest runs the same)', () => {
  it.each(cases)('$name', ({ syntheticRetentionDays, written, now, expired }) => {
    expect(sideDataExpired({ syntheticRetentionDays }, written, now)).toBe(expired);
  });
});
