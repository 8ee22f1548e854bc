import {
  reasonLabel,
  reasonsOf,
  eventTypeLabel,
  decisionLabel,
  statusDisplay,
  STATUSES,
  severityLabel,
  confidenceFraction,
  formatNumber,
  formatPercent,
  format,
  plural,
  CARD_ICONS
} from 'c/syntheticDisplay';

// Every reason code the policy emits, read from the TypeScript engine's list (its twin
// ProvenancePolicy.cls is held to the same order by the shared vectors), so a new code without a
// label fails here instead of reaching users as "Other reason".
const POLICY_REASON_CODES = (() => {
  const source = require('fs').readFileSync(
    require('path').join(__dirname, '../../../../../../scripts/src/policy/reason-codes.ts'),
    'utf8'
  );
  const list = source.match(/export const REASON_CODES = \[([^\]]*)\]/);
  return [...list[1].matchAll(/'([A-Z_]+)'/g)].map((m) => m[1]);
})();

const labelName = (code) =>
  `c.SDG_Reason_${code
    .split('_')
    .map((w) => w[0] + w.slice(1).toLowerCase())
    .join('_')}`;

describe('c/syntheticDisplay', () => {
  it('reads every reason code of the policy', () => {
    expect(POLICY_REASON_CODES).toContain('UNREADABLE_MEDIA_PROVENANCE');
    expect(POLICY_REASON_CODES.length).toBeGreaterThanOrEqual(22);
  });

  it.each(POLICY_REASON_CODES)('reason %s has its own custom label', (code) => {
    expect(reasonLabel(code)).toEqual({ code, label: labelName(code), known: true });
  });

  it('shows a code it has no label for as "Other reason", keeping the code for the tooltip', () => {
    // The policy grows (e.g. a reason for unreadable media): a newer code is never blank.
    expect(reasonLabel('MEDIA_UNREADABLE')).toEqual({
      code: 'MEDIA_UNREADABLE',
      label: 'c.SDG_Reason_Other',
      known: false
    });
    expect(reasonLabel(undefined).label).toBe('c.SDG_Reason_Other');
  });

  it('reads stored reasons in order, skipping blanks, from text or a list', () => {
    expect(reasonsOf(' UNTRUSTED_MODEL ;;HIGH_CONFIDENCE;NEW_CODE').map((r) => r.label)).toEqual([
      'c.SDG_Reason_Untrusted_Model',
      'c.SDG_Reason_High_Confidence',
      'c.SDG_Reason_Other'
    ]);
    expect(reasonsOf(['RECALLED']).map((r) => r.code)).toEqual(['RECALLED']);
    expect(reasonsOf(null)).toEqual([]);
    const keys = reasonsOf('RECALLED;RECALLED').map((r) => r.key);
    expect(new Set(keys).size).toBe(2);
  });

  it.each([
    ['Decision', 'c.SDG_Event_Decision'],
    ['Release', 'c.SDG_Event_Release'],
    ['AppendFailure', 'c.SDG_Event_AppendFailure'],
    ['Converted', 'c.SDG_Event_Converted'],
    ['ContentEdited', 'c.SDG_Event_ContentEdited'],
    ['SomethingNew', 'c.SDG_Event_Other']
  ])('event type %s reads as %s', (code, label) => {
    expect(eventTypeLabel(code)).toEqual(expect.objectContaining({ code, label }));
  });

  it.each([
    ['ACCEPT', 'c.SDG_Decision_Accept'],
    ['FLAG', 'c.SDG_Decision_Flag'],
    ['QUARANTINE', 'c.SDG_Decision_Quarantine'],
    ['REJECT', 'c.SDG_Decision_Reject'],
    ['ESCALATE', 'c.SDG_Decision_Other']
  ])('decision %s reads as %s', (code, label) => {
    expect(decisionLabel(code).label).toBe(label);
  });

  it('gives each review state its own colour and icon, and says "other" for an unknown one', () => {
    const themes = Object.values(STATUSES).map((s) => s.theme);
    const icons = Object.values(STATUSES).map((s) => s.icon);
    expect(new Set(themes).size).toBe(themes.length);
    expect(STATUSES.Flagged.icon).not.toBe(STATUSES.Quarantined.icon);
    expect(new Set(icons).size).toBeGreaterThanOrEqual(6);
    expect(statusDisplay('Escalated')).toEqual(
      expect.objectContaining({ code: 'Escalated', label: 'c.SDG_Status_Other' })
    );
    expect(statusDisplay('Flagged').label).toBe('c.SDG_Badge_Flagged');
  });

  it('labels severities', () => {
    expect(severityLabel('critical')).toBe('c.SDG_Severity_Critical');
    expect(severityLabel('info')).toBe('c.SDG_Severity_Info');
    expect(severityLabel('custom')).toBe('custom');
  });

  it('turns a Percent field into the fraction percent formats take', () => {
    expect(confidenceFraction(91)).toBeCloseTo(0.91);
    expect(confidenceFraction('92.5')).toBeCloseTo(0.925);
    expect(confidenceFraction(null)).toBeNull();
    expect(confidenceFraction('')).toBeNull();
    expect(confidenceFraction('n/a')).toBeNull();
  });

  it("formats numbers and percentages in the user's locale", () => {
    expect(formatNumber(1234)).toBe('1,234');
    expect(formatPercent(0.925)).toBe('92.5%');
    expect(formatPercent(0.91)).toBe('91%');
  });

  it('fills placeholders, every occurrence', () => {
    expect(format('{0} of {1}, {0}', 'a', 'b')).toBe('a of b, a');
    expect(format('{0}', undefined)).toBe('');
  });

  it('picks the singular or plural label by the locale, never "(s)"', () => {
    expect(plural(1, 'one', 'many')).toBe('one');
    expect(plural(0, 'one', 'many')).toBe('many');
    expect(plural(3, 'one', 'many')).toBe('many');
  });

  it('uses only icons SLDS has (a missing one renders as nothing)', () => {
    const fs = require('fs');
    const path = require('path');
    const icons = path.dirname(require.resolve('@salesforce-ux/design-system/package.json'));
    const exists = (name) => {
      const [category, icon] = name.split(':');
      return fs.existsSync(path.join(icons, 'assets', 'icons', category, `${icon}.svg`));
    };
    const used = [
      ...Object.values(STATUSES).map((s) => s.icon),
      statusDisplay('unknown').icon,
      ...Object.values(CARD_ICONS)
    ];
    expect(used.filter((name) => !exists(name))).toEqual([]);
  });

  it('uses one icon family for every card', () => {
    expect(Object.values(CARD_ICONS).every((icon) => icon.startsWith('standard:'))).toBe(true);
  });
});
