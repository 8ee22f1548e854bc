import { createElement } from 'lwc';
import { getRecord } from 'lightning/uiRecordApi';
import SyntheticBadge from 'c/syntheticBadge';

function record(fields, apiName = 'Lead') {
  return {
    apiName,
    id: '00Q000000000001AAA',
    fields: Object.fromEntries(
      Object.entries(fields).map(([name, value]) => [
        name,
        typeof value === 'object' && value !== null ? value : { value, displayValue: null }
      ])
    )
  };
}

const QUARANTINED = {
  Synthetic_Data__c: true,
  Synthetic_Status__c: 'Quarantined',
  AI_Model__c: 'local/llama-3-70b',
  Generated_At__c: { value: '2026-05-31T10:00:00.000Z', displayValue: '5/31/2026, 10:00 AM' },
  Generation_Method__c: {
    value: 'trainedAlgorithmicMedia',
    displayValue: 'Created using a trained model (generative AI)'
  },
  Provenance_Source__c: 'Partner Lead Feed',
  Synthetic_Confidence__c: 91,
  Synthetic_Reasons__c: 'UNTRUSTED_MODEL;HIGH_CONFIDENCE'
};

function mount(props = {}) {
  const element = createElement('c-synthetic-badge', { is: SyntheticBadge });
  Object.assign(element, { recordId: '00Q000000000001AAA', objectApiName: 'Lead', ...props });
  document.body.appendChild(element);
  return element;
}

const flush = () => Promise.resolve();

afterEach(() => {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  jest.clearAllMocks();
});

describe('c-synthetic-badge', () => {
  it('shows an accessible spinner while the record loads', async () => {
    const element = mount();
    const spinner = element.shadowRoot.querySelector('lightning-spinner');
    expect(spinner.alternativeText).toBe('c.SDG_Badge_Loading');
    await expect(element).toBeAccessible();
  });

  it('asks Lightning Data Service for the provenance fields of the page object', async () => {
    const element = mount({ objectApiName: 'Case' });
    getRecord.emit(record({ Synthetic_Data__c: false }, 'Case'));
    await flush();
    expect(getRecord.getLastConfig()).toEqual({
      recordId: '00Q000000000001AAA',
      optionalFields: expect.arrayContaining(['Case.Synthetic_Data__c', 'Case.Synthetic_Status__c'])
    });
    expect(element.shadowRoot.querySelector('[data-id="badge"]')).toBeNull();
  });

  it('shows nothing for an authentic record', async () => {
    const element = mount();
    getRecord.emit(record({ Synthetic_Data__c: false, Synthetic_Status__c: 'Authentic' }));
    await flush();
    expect(element.shadowRoot.querySelector('[data-id="badge"]')).toBeNull();
    expect(element.shadowRoot.querySelector('span, p, button, lightning-spinner')).toBeNull();
  });

  it.each([
    ['Quarantined', 'c.SDG_Badge_Quarantined', 'utility:lock', 'slds-theme_warning', undefined],
    ['Rejected', 'c.SDG_Badge_Rejected', 'utility:ban', 'slds-theme_error', 'inverse'],
    ['Flagged', 'c.SDG_Badge_Flagged', 'utility:priority', 'slds-theme_warning', undefined],
    ['Released', 'c.SDG_Badge_Released', 'utility:check', 'slds-theme_success', 'inverse'],
    ['Disclosed', 'c.SDG_Badge_Disclosed', 'utility:einstein', 'slds-badge_inverse', 'inverse'],
    ['Unreviewed', 'c.SDG_Badge_Unreviewed', 'utility:einstein', 'slds-badge_inverse', 'inverse'],
    [null, 'c.SDG_Badge_AI_Generated', 'utility:einstein', 'slds-badge_inverse', 'inverse']
  ])(
    'status %s: icon and text, not colour alone',
    async (status, label, icon, theme, iconVariant) => {
      const element = mount();
      getRecord.emit(record({ Synthetic_Data__c: true, Synthetic_Status__c: status }));
      await flush();
      const badge = element.shadowRoot.querySelector('[data-id="badge"]');
      expect(badge.textContent.trim()).toBe(label);
      expect(badge.classList).toContain(theme);
      expect(badge.querySelector('lightning-icon').iconName).toBe(icon);
      // Readable icon on every badge colour: white except on the warning badge's light orange.
      expect(badge.querySelector('lightning-icon').variant).toBe(iconVariant);
      await expect(element).toBeAccessible();
    }
  );

  it('opens the provenance details with the method in words, and closes them with Escape', async () => {
    const element = mount({ showDetails: true });
    getRecord.emit(record(QUARANTINED));
    await flush();
    const button = element.shadowRoot.querySelector('button');
    expect(button.getAttribute('aria-expanded')).toBe('false');
    button.click();
    await flush();
    expect(button.getAttribute('aria-expanded')).toBe('true');
    const region = element.shadowRoot.querySelector('section');
    expect(button.getAttribute('aria-controls')).toBe(region.id);
    const value = (key) =>
      element.shadowRoot.querySelector(`dd[data-field="${key}"]`)?.textContent ?? null;
    expect(value('model')).toBe('local/llama-3-70b');
    expect(value('generatedAt')).toBe('5/31/2026, 10:00 AM');
    expect(value('method')).toBe('Created using a trained model (generative AI)');
    expect(value('source')).toBe('Partner Lead Feed');
    expect(value('confidence')).toBeNull();
    await expect(element).toBeAccessible();
    element.shadowRoot
      .querySelector('.sdg-badge')
      .dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    await flush();
    expect(element.shadowRoot.querySelector('section')).toBeNull();
  });

  it('adds confidence and reasons for reviewers, and says when a value was not given', async () => {
    const element = mount({ showDetails: true, showSignals: true });
    getRecord.emit(
      record({ ...QUARANTINED, Provenance_Source__c: null, Synthetic_Status__c: 'Flagged' })
    );
    await flush();
    element.shadowRoot.querySelector('button').click();
    await flush();
    const value = (key) => element.shadowRoot.querySelector(`dd[data-field="${key}"]`).textContent;
    expect(value('confidence')).toBe('91%');
    expect(value('reasons')).toBe('UNTRUSTED_MODEL, HIGH_CONFIDENCE');
    expect(value('source')).toBe('c.SDG_Badge_Not_Given');
  });

  it('follows record changes: a release turns the badge green', async () => {
    const element = mount();
    getRecord.emit(record(QUARANTINED));
    await flush();
    getRecord.emit(record({ ...QUARANTINED, Synthetic_Status__c: 'Released' }));
    await flush();
    expect(element.shadowRoot.querySelector('[data-id="badge"]').textContent.trim()).toBe(
      'c.SDG_Badge_Released'
    );
  });

  it('says so when the record cannot be loaded', async () => {
    const element = mount();
    getRecord.error();
    await flush();
    const status = element.shadowRoot.querySelector('[role="status"]');
    expect(status.textContent).toBe('c.SDG_Badge_Load_Error');
    await expect(element).toBeAccessible();
  });
});
