import { TrustedSourceRegistry, trustedAt } from './trusted-source-registry';

describe('trusted source registry expiry', () => {
  const registry = new TrustedSourceRegistry([
    {
      pattern: 'vendorx/',
      matchType: 'Prefix',
      appliesTo: 'Model',
      trusted: true,
      expiresOn: '2026-06-01'
    }
  ]);

  it('trusts an entry until the end of the UTC day before it expires', () => {
    expect(registry.verdict('vendorx/m', 'Model', '2026-05-31T23:59:59.000Z')).toBe('trusted');
  });

  it('treats an entry as untrusted from its expiry day on', () => {
    expect(registry.verdict('vendorx/m', 'Model', '2026-06-01T00:00:00.000Z')).toBe('untrusted');
    expect(registry.verdict('vendorx/m', 'Model', '2027-01-01T00:00:00.000Z')).toBe('untrusted');
  });

  it('compares in UTC whatever offset the time carries', () => {
    expect(registry.verdict('vendorx/m', 'Model', '2026-05-31T23:30:00.000-01:00')).toBe(
      'untrusted'
    );
  });

  it('never expires an entry without an expiry date, and never trusts an untrusted one', () => {
    expect(
      trustedAt(
        { pattern: 'a', matchType: 'Exact', appliesTo: 'Model', trusted: true },
        '2099-01-01T00:00:00Z'
      )
    ).toBe(true);
    expect(
      trustedAt(
        { pattern: 'a', matchType: 'Exact', appliesTo: 'Model', trusted: false, expiresOn: null },
        '2020-01-01T00:00:00Z'
      )
    ).toBe(false);
  });

  it('fails closed on a time it cannot read', () => {
    expect(registry.verdict('vendorx/m', 'Model', 'not a time')).toBe('untrusted');
  });
});
