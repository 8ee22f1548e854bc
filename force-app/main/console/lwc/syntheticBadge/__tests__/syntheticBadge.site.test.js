import { createElement } from 'lwc';
import { getRecord } from 'lightning/uiRecordApi';
import SyntheticBadge from 'c/syntheticBadge';
import getDisclosure from '@salesforce/apex/SyntheticBadgeController.getDisclosure';

jest.mock(
  '@salesforce/apex/SyntheticBadgeController.getDisclosure',
  () => {
    const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true }
);

const RECORD_ID = '00Q000000000001AAA';

function mount(props = {}) {
  const element = createElement('c-synthetic-badge', { is: SyntheticBadge });
  // Experience Builder passes {!recordId} and no object name: that is how the badge knows.
  Object.assign(element, { recordId: RECORD_ID, ...props });
  document.body.appendChild(element);
  return element;
}

const flush = () => Promise.resolve();

afterEach(() => {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  jest.clearAllMocks();
});

describe('c-synthetic-badge on an Experience Cloud site', () => {
  it('asks the server, never Lightning Data Service, so the server decides what a visitor sees', async () => {
    const element = mount({ showDetails: true });
    getDisclosure.emit({ synthetic: true, detailsVisible: false });
    await flush();
    expect(getDisclosure.getLastConfig()).toEqual({ recordId: RECORD_ID });
    expect(getRecord.getLastConfig()).toEqual(expect.objectContaining({ recordId: undefined }));
    const badge = element.shadowRoot.querySelector('[data-id="badge"]');
    expect(badge.textContent.trim()).toBe('c.SDG_Badge_AI_Generated_Site');
    expect(badge.querySelector('lightning-icon').iconName).toBe('utility:einstein');
    await expect(element).toBeAccessible();
  });

  it('shows a guest or customer no details button even when the builder property asks for one', async () => {
    const element = mount({ showDetails: true, showSignals: true });
    getDisclosure.emit({ synthetic: true, detailsVisible: false });
    await flush();
    expect(element.shadowRoot.querySelector('button')).toBeNull();
    expect(element.shadowRoot.querySelector('section')).toBeNull();
    expect(element.shadowRoot.textContent).not.toMatch(/model|source|reason/i);
  });

  it('shows the details to a user the admin allowed, if the builder property asks for them', async () => {
    const allowed = {
      synthetic: true,
      detailsVisible: true,
      status: 'Released',
      model: 'openai/gpt-4o',
      source: 'Partner portal'
    };
    const hidden = mount({ showDetails: false });
    getDisclosure.emit(allowed);
    await flush();
    expect(hidden.shadowRoot.querySelector('button')).toBeNull();
    document.body.removeChild(hidden);

    const element = mount({ showDetails: true });
    getDisclosure.emit(allowed);
    await flush();
    expect(element.shadowRoot.querySelector('[data-id="badge"]').textContent.trim()).toBe(
      'c.SDG_Badge_Released'
    );
    element.shadowRoot.querySelector('button').click();
    await flush();
    expect(element.shadowRoot.querySelector('dd[data-field="source"]').textContent).toBe(
      'Partner portal'
    );
    await expect(element).toBeAccessible();
  });

  it('shows nothing for content that is not AI-generated or that the visitor cannot see', async () => {
    const element = mount();
    getDisclosure.emit({ synthetic: false, detailsVisible: false });
    await flush();
    expect(element.shadowRoot.querySelector('[data-id="badge"]')).toBeNull();
    expect(element.shadowRoot.querySelector('span, p, button, lightning-spinner')).toBeNull();
  });

  it('renders nothing, and no endless spinner, on a site page without a record', async () => {
    const elements = [undefined, ''].map((recordId) => mount({ recordId, showDetails: true }));
    await flush();
    expect(getDisclosure.getLastConfig()).toEqual({ recordId: undefined });
    for (const element of elements) {
      expect(element.shadowRoot.querySelector('lightning-spinner')).toBeNull();
      expect(element.shadowRoot.querySelector('span, p, button')).toBeNull();
    }
  });

  it('shows a permitted site user the reasons as labels, with no raw codes', async () => {
    const element = mount({ showDetails: true, showSignals: true });
    getDisclosure.emit({
      synthetic: true,
      detailsVisible: true,
      status: 'Quarantined',
      reasons: 'UNTRUSTED_MODEL'
    });
    await flush();
    element.shadowRoot.querySelector('button').click();
    await flush();
    const reasons = element.shadowRoot.querySelector('c-synthetic-reason-list');
    expect(reasons.hideCodes).toBe(true);
    expect(reasons.shadowRoot.querySelector('lightning-helptext')).toBeNull();
    expect(reasons.shadowRoot.textContent).not.toContain('UNTRUSTED_MODEL');
    expect(reasons.shadowRoot.querySelector('li').title).toBe('');
  });
});
