import { createElement } from 'lwc';
import { getRecord } from 'lightning/uiRecordApi';
import SyntheticBadge from 'c/syntheticBadge';
import getDisclosure from '@salesforce/apex/SyntheticBadgeController.getDisclosure';
import { refreshApex } from '@salesforce/apex';

jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), {
  virtual: true
});

jest.mock(
  '@salesforce/apex/SyntheticBadgeController.getDisclosure',
  () => {
    const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true }
);

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
    ['Quarantined', 'c.SDG_Badge_Quarantined', 'utility:lock', 'slds-theme_error', 'inverse'],
    ['Rejected', 'c.SDG_Badge_Rejected', 'utility:ban', 'slds-theme_offline', 'inverse'],
    ['Flagged', 'c.SDG_Badge_Flagged', 'utility:priority', 'slds-theme_warning', undefined],
    ['Released', 'c.SDG_Badge_Released', 'utility:check', 'slds-theme_success', 'inverse'],
    ['Disclosed', 'c.SDG_Badge_Disclosed', 'utility:einstein', 'slds-badge_lightest', undefined],
    ['Unreviewed', 'c.SDG_Badge_Unreviewed', 'utility:clock', 'slds-theme_info', 'inverse'],
    [null, 'c.SDG_Badge_AI_Generated', 'utility:einstein', 'slds-theme_alt-inverse', 'inverse']
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
      // Readable icon on every badge colour: white on the dark ones, dark on orange and white.
      expect(badge.querySelector('lightning-icon').variant).toBe(iconVariant);
      await expect(element).toBeAccessible();
    }
  );

  it('gives every review state its own colour and its own icon', async () => {
    const seen = [];
    for (const status of [
      'Quarantined',
      'Rejected',
      'Flagged',
      'Released',
      'Disclosed',
      'Unreviewed',
      null
    ]) {
      const element = mount();
      getRecord.emit(record({ Synthetic_Data__c: true, Synthetic_Status__c: status }));
      // eslint-disable-next-line no-await-in-loop -- one badge after the other.
      await flush();
      const badge = element.shadowRoot.querySelector('[data-id="badge"]');
      seen.push({ theme: badge.className, icon: badge.querySelector('lightning-icon').iconName });
      document.body.removeChild(element);
    }
    expect(new Set(seen.map((s) => s.theme)).size).toBe(seen.length);
    // Flagged and Quarantined, nearly the same orange before, now differ in colour and icon.
    expect(seen[0].theme).not.toBe(seen[2].theme);
    expect(seen[0].icon).not.toBe(seen[2].icon);
  });

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
    // The time in the user's locale and time zone, formatted as the queue and the timeline do.
    const when = element.shadowRoot.querySelector(
      'dd[data-field="generatedAt"] lightning-formatted-date-time'
    );
    expect(when.value).toBe('2026-05-31T10:00:00.000Z');
    expect([when.month, when.day, when.hour, when.minute]).toEqual([
      'short',
      '2-digit',
      '2-digit',
      '2-digit'
    ]);
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
    const cell = (key) => element.shadowRoot.querySelector(`dd[data-field="${key}"]`);
    // A Percent field holds 91 for 91 %: the locale's percent format takes the fraction.
    const confidence = cell('confidence').querySelector('lightning-formatted-number');
    expect(confidence.value).toBeCloseTo(0.91);
    expect(confidence.formatStyle).toBe('percent');
    expect(confidence.maximumFractionDigits).toBe(1);
    const reasons = cell('reasons').querySelector('c-synthetic-reason-list');
    expect(reasons.reasons).toBe('UNTRUSTED_MODEL;HIGH_CONFIDENCE');
    const items = [...reasons.shadowRoot.querySelectorAll('li')];
    expect(items.map((li) => li.textContent.trim())).toEqual([
      'c.SDG_Reason_Untrusted_Model,',
      'c.SDG_Reason_High_Confidence'
    ]);
    expect(items.map((li) => li.dataset.code)).toEqual(['UNTRUSTED_MODEL', 'HIGH_CONFIDENCE']);
    expect(
      [...reasons.shadowRoot.querySelectorAll('lightning-helptext')].map((h) => h.content)
    ).toEqual(['UNTRUSTED_MODEL', 'HIGH_CONFIDENCE']);
    expect(cell('source').textContent).toBe('c.SDG_Badge_Not_Given');
    await expect(element).toBeAccessible();
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

  it('falls back to the server disclosure when field-level security hides Synthetic_Data__c', async () => {
    const element = mount();
    // LDS leaves out optional fields the user cannot read.
    getRecord.emit(record({}));
    await flush();
    expect(getDisclosure.getLastConfig()).toEqual({ recordId: '00Q000000000001AAA' });
    getDisclosure.emit({ synthetic: true, detailsVisible: false });
    await flush();
    expect(element.shadowRoot.querySelector('[data-id="badge"]').textContent.trim()).toBe(
      'c.SDG_Badge_AI_Generated_Site'
    );
    expect(refreshApex).not.toHaveBeenCalled();

    // A review or recall calls notifyRecordUpdateAvailable: LDS answers again, so does the server.
    getRecord.emit(record({}));
    await flush();
    expect(refreshApex).toHaveBeenCalledTimes(1);
  });

  it('says the badge could not load when refreshing the server disclosure fails', async () => {
    const element = mount();
    getRecord.emit(record({}));
    await flush();
    getDisclosure.emit({ synthetic: true, detailsVisible: false });
    await flush();
    refreshApex.mockImplementationOnce(() => Promise.reject(new Error('offline')));
    getRecord.emit(record({}));
    await flush();
    await flush();
    expect(refreshApex).toHaveBeenCalledTimes(1);
    const status = element.shadowRoot.querySelector('p[role="status"]');
    expect(status).not.toBeNull();
    expect(status.textContent).toBe('c.SDG_Badge_Load_Error');
  });

  it('never asks the server when the user reads the flag through LDS', async () => {
    mount();
    getRecord.emit(record(QUARANTINED));
    await flush();
    expect(getDisclosure.getLastConfig()).toEqual({ recordId: undefined });
  });

  it("keeps the reason codes behind help icons for the org's own users", async () => {
    const element = mount({ showDetails: true, showSignals: true });
    getRecord.emit(record(QUARANTINED));
    await flush();
    element.shadowRoot.querySelector('button').click();
    await flush();
    const reasons = element.shadowRoot.querySelector('c-synthetic-reason-list');
    expect(reasons.hideCodes).toBe(false);
  });

  it('says so when the record cannot be loaded', async () => {
    const element = mount();
    getRecord.error();
    await flush();
    const status = element.shadowRoot.querySelector('[role="status"]');
    expect(status.textContent).toBe('c.SDG_Badge_Load_Error');
    await expect(element).toBeAccessible();
  });

  describe('on a file page', () => {
    const FILE_ID = '069000000000001AAA';

    it('asks the server, which reads the latest version, and never Lightning Data Service', async () => {
      const element = mount({ recordId: FILE_ID, objectApiName: 'ContentDocument' });
      getDisclosure.emit({ synthetic: true, detailsVisible: false, status: null });
      await flush();
      expect(getDisclosure.getLastConfig()).toEqual({ recordId: FILE_ID });
      expect(getRecord.getLastConfig()).toEqual(expect.objectContaining({ recordId: undefined }));
      const badge = element.shadowRoot.querySelector('[data-id="badge"]');
      expect(badge.textContent.trim()).toBe('c.SDG_Badge_AI_Generated_Site');
      expect(element.shadowRoot.querySelector('button')).toBeNull();
      await expect(element).toBeAccessible();
    });

    it('shows the review state and the details the server allowed', async () => {
      const element = mount({
        recordId: FILE_ID,
        objectApiName: 'ContentDocument',
        showDetails: true
      });
      getDisclosure.emit({
        synthetic: true,
        detailsVisible: true,
        status: 'Flagged',
        model: 'openai/gpt-image-1',
        generatedAt: '2026-05-31T10:00:00.000Z',
        method: 'Created using a trained model (generative AI)',
        source: 'Marketing uploads',
        confidence: 97.5,
        reasons: 'MEDIA_AI_MARKER'
      });
      await flush();
      expect(element.shadowRoot.querySelector('[data-id="badge"]').textContent.trim()).toBe(
        'c.SDG_Badge_Flagged'
      );
      element.shadowRoot.querySelector('button').click();
      await flush();
      expect(element.shadowRoot.querySelector('dd[data-field="model"]').textContent).toBe(
        'openai/gpt-image-1'
      );
    });

    const ALLOWED = {
      synthetic: true,
      detailsVisible: true,
      status: 'Flagged',
      model: 'openai/gpt-image-1',
      mediaVerdict: 'AI-generated (declared)',
      mediaVerdictCode: 'ai-generated'
    };

    async function openDetails(props, answer) {
      const element = mount({ recordId: FILE_ID, showDetails: true, ...props });
      getDisclosure.emit(answer);
      await flush();
      element.shadowRoot.querySelector('button').click();
      await flush();
      return element;
    }

    it('shows a spinner while the server answers', async () => {
      const element = mount({ recordId: FILE_ID, objectApiName: 'ContentDocument' });
      await flush();
      expect(element.shadowRoot.querySelector('lightning-spinner').alternativeText).toBe(
        'c.SDG_Badge_Loading'
      );
      expect(element.shadowRoot.querySelector('[data-id="badge"]')).toBeNull();
      await expect(element).toBeAccessible();
    });

    it("shows the media scan verdict in words beside the file's provenance", async () => {
      const element = await openDetails({ objectApiName: 'ContentDocument' }, ALLOWED);
      const verdict = element.shadowRoot.querySelector('dd[data-field="mediaVerdict"]');
      expect(verdict.textContent).toBe('AI-generated (declared)');
      expect(verdict.querySelector('[data-id="note"]')).toBeNull();
      const labels = [...element.shadowRoot.querySelectorAll('dt')].map((dt) => dt.textContent);
      expect(labels).toContain('c.SDG_Badge_Media_Scan');
      await expect(element).toBeAccessible();
    });

    it('says that no marker found is not proof of authenticity', async () => {
      const element = await openDetails(
        { objectApiName: 'ContentDocument' },
        { ...ALLOWED, mediaVerdict: 'No marker found', mediaVerdictCode: 'no-marker' }
      );
      const verdict = element.shadowRoot.querySelector('dd[data-field="mediaVerdict"]');
      expect(verdict.textContent).toContain('No marker found');
      expect(verdict.querySelector('[data-id="note"]').textContent.trim()).toBe(
        'c.SDG_Badge_No_Marker_Is_Not_Proof'
      );
    });

    it('says the verdict is not given when the user may not read it or the file was not scanned', async () => {
      const element = await openDetails(
        { objectApiName: 'ContentDocument' },
        { ...ALLOWED, mediaVerdict: null, mediaVerdictCode: null }
      );
      expect(element.shadowRoot.querySelector('dd[data-field="mediaVerdict"]').textContent).toBe(
        'c.SDG_Badge_Not_Given'
      );
    });

    it("shows the verdict on a site's file detail page too, which binds only {!recordId}", async () => {
      const element = await openDetails({}, ALLOWED);
      expect(getDisclosure.getLastConfig()).toEqual({ recordId: FILE_ID });
      expect(element.shadowRoot.querySelector('dd[data-field="mediaVerdict"]').textContent).toBe(
        'AI-generated (declared)'
      );
    });

    it('has no media scan row on a record that is not a file', async () => {
      const element = mount({ showDetails: true });
      getRecord.emit(record(QUARANTINED));
      await flush();
      element.shadowRoot.querySelector('button').click();
      await flush();
      expect(element.shadowRoot.querySelector('dd[data-field="mediaVerdict"]')).toBeNull();
    });

    it('shows nothing for a file that is not AI-generated, and says when it cannot load', async () => {
      const element = mount({ recordId: FILE_ID, objectApiName: 'ContentDocument' });
      getDisclosure.emit({ synthetic: false, detailsVisible: false });
      await flush();
      expect(element.shadowRoot.querySelector('[data-id="badge"]')).toBeNull();
      getDisclosure.error();
      await flush();
      expect(element.shadowRoot.querySelector('[role="status"]').textContent).toBe(
        'c.SDG_Badge_Load_Error'
      );
    });
  });
});
