// The formatters under locales the test environment's default (en-US) never shows: a Salesforce
// locale tag the browser rejects, and a language with more plural forms than one and other.
function displayIn(locale) {
  let display;
  jest.isolateModules(() => {
    jest.doMock('@salesforce/i18n/locale', () => ({ default: locale }), { virtual: true });
    display = require('c/syntheticDisplay');
  });
  return display;
}

afterEach(() => {
  jest.dontMock('@salesforce/i18n/locale');
});

describe('syntheticDisplay in unusual locales', () => {
  it('formats with the browser default instead of throwing when the locale tag is not accepted', () => {
    // en_US (underscore) is a Salesforce LocaleSidKey, not a BCP 47 tag: Intl throws RangeError.
    expect(() => new Intl.NumberFormat('en_US')).toThrow(RangeError);
    const { formatNumber, formatPercent, plural } = displayIn('en_US');
    expect(formatNumber(1234)).toMatch(/^1.?234$/);
    expect(formatPercent(0.5)).toMatch(/^50\s?%$/);
    expect(plural(1, 'one', 'other')).toBe('one');
    expect(plural(2, 'one', 'other')).toBe('other');
  });

  it('picks by the language plural category, with few and many texts when a label has them', () => {
    const { plural } = displayIn('pl-PL');
    const forms = { few: 'few', many: 'many' };
    expect(plural(1, 'one', 'other', forms)).toBe('one');
    expect(plural(3, 'one', 'other', forms)).toBe('few');
    expect(plural(5, 'one', 'other', forms)).toBe('many');
    // Two-form labels: never the singular for a plural count.
    expect(plural(3, 'one', 'other')).toBe('other');
    expect(plural(22, 'one', 'other')).toBe('other');
  });

  it('uses the one text for every count the language counts as one (Russian 21)', () => {
    const { plural } = displayIn('ru-RU');
    expect(plural(21, 'one', 'other')).toBe('one');
    expect(plural(11, 'one', 'other')).toBe('other');
  });
});
