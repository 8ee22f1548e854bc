import {
  decisionEligibility,
  loadAutomatedDecisionVectors,
  normaliseSetting
} from './automated-decisions';
import { loadPackagePolicy } from './package-policy';
import { PROJECT_ROOT } from '../project-root';

describe('automated-decision eligibility (GDPR Art. 22)', () => {
  const file = loadAutomatedDecisionVectors();

  it.each(file.vectors.map((v) => [v.name, v] as const))('%s', (_name, vector) => {
    expect(decisionEligibility(vector.setting, vector.record)).toEqual(vector.expected);
  });

  it('covers every setting, the blank default and a wrong-case value', () => {
    const settings = new Set(file.vectors.map((v) => v.setting));
    expect(settings).toEqual(
      new Set([
        'Allow_All',
        'Exclude_Quarantined',
        'Exclude_Flagged_And_Quarantined',
        'Exclude_All_Synthetic',
        null,
        'exclude_all_synthetic'
      ])
    );
  });

  it('reads a blank or unknown setting as Exclude_Flagged_And_Quarantined', () => {
    expect(normaliseSetting(undefined)).toBe('Exclude_Flagged_And_Quarantined');
    expect(normaliseSetting(' Allow_All ')).toBe('Allow_All');
    expect(normaliseSetting('Allow all')).toBe('Exclude_Flagged_And_Quarantined');
  });

  it('reads a checkbox exported as text', () => {
    expect(decisionEligibility('Exclude_All_Synthetic', { Synthetic_Data__c: 'TRUE' }).reason).toBe(
      'SYNTHETIC'
    );
  });

  it('ships every policy record with a setting the policy twin reads', () => {
    const set = loadPackagePolicy(PROJECT_ROOT);
    for (const [object, policy] of Object.entries(set.policies)) {
      expect([object, policy.automatedDecisions]).toEqual([
        object,
        'Exclude_Flagged_And_Quarantined'
      ]);
    }
  });
});
