import { createElement } from 'lwc';
import SyntheticAuditTimeline from 'c/syntheticAuditTimeline';
import getTimeline from '@salesforce/apex/SyntheticAuditTimelineController.getTimeline';
import { getRecord } from 'lightning/uiRecordApi';
import { refreshApex } from '@salesforce/apex';
import { FOLLOW_UPS_MS } from 'c/syntheticAuditTimeline';

jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), {
  virtual: true
});

jest.mock(
  '@salesforce/apex/SyntheticAuditTimelineController.getTimeline',
  () => {
    const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true }
);

const event = (sequence, extra = {}) => ({
  sequence,
  eventType: 'Quarantine',
  decision: 'QUARANTINE',
  reasons: 'MISSING_SOURCE;UNTRUSTED_MODEL',
  actor: 'Ada Admin',
  occurredAt: '2026-05-31T10:00:00.000Z',
  hashVerified: true,
  linkVerified: true,
  ...extra
});

function mount() {
  const element = createElement('c-synthetic-audit-timeline', { is: SyntheticAuditTimeline });
  element.recordId = '00Q000000000001AAA';
  element.objectApiName = 'Lead';
  document.body.appendChild(element);
  return element;
}

const flush = () => Promise.resolve();
const $ = (element, selector) => element.shadowRoot.querySelector(selector);

afterEach(() => {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  jest.clearAllMocks();
  jest.useRealTimers();
});

const modstamp = (value) => ({
  apiName: 'Lead',
  id: '00Q000000000001AAA',
  fields: { SystemModstamp: { value, displayValue: null } }
});

describe('c-synthetic-audit-timeline', () => {
  it('shows a spinner while loading', async () => {
    const element = mount();
    expect($(element, 'lightning-spinner').alternativeText).toBe('c.SDG_Timeline_Loading');
    await expect(element).toBeAccessible();
  });

  it('lists events newest first with reasons, actor and a verified chain', async () => {
    const element = mount();
    getTimeline.emit({
      chainState: 'INTACT',
      brokenAt: null,
      events: [event(7, { eventType: 'Release', decision: 'ACCEPT', reasons: null }), event(3)]
    });
    await flush();
    expect(getTimeline.getLastConfig()).toEqual({ recordId: '00Q000000000001AAA', rowLimit: 20 });
    const items = element.shadowRoot.querySelectorAll('li');
    expect([...items].map((li) => li.dataset.sequence)).toEqual(['7', '3']);
    expect(items[0].querySelector('h3').textContent).toBe('#7 Release · ACCEPT');
    expect(items[1].querySelector('p').textContent).toBe('MISSING_SOURCE, UNTRUSTED_MODEL');
    expect(items[1].querySelectorAll('p')[1].textContent).toBe('c.SDG_Timeline_By');
    expect($(element, '[data-id="chain"] span').textContent).toBe('c.SDG_Audit_Chain_Intact');
    expect($(element, '[data-id="tampered"]')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('names the broken event and marks it', async () => {
    const element = mount();
    getTimeline.emit({
      chainState: 'BROKEN',
      brokenAt: 3,
      events: [event(5, { eventType: 'Reject' }), event(3, { hashVerified: false })]
    });
    await flush();
    expect($(element, '[data-id="chain"] span').textContent).toBe('c.SDG_Audit_Chain_Broken');
    expect(element.shadowRoot.querySelectorAll('[data-id="tampered"]')).toHaveLength(1);
    expect($(element, '[data-id="chain"] lightning-icon').variant).toBe('error');
    // Each event type keeps its own icon and colour beside its name.
    const icons = element.shadowRoot.querySelectorAll('li lightning-icon');
    expect([...icons].map((icon) => [icon.iconName, icon.variant])).toEqual([
      ['utility:ban', 'error'],
      ['utility:lock', 'warning']
    ]);
    await expect(element).toBeAccessible();
  });

  it('says when earlier events were purged', async () => {
    const element = mount();
    getTimeline.emit({ chainState: 'PARTIAL', events: [event(5, { linkVerified: null })] });
    await flush();
    expect($(element, '[data-id="chain"] span').textContent).toBe('c.SDG_Timeline_Unverifiable');
  });

  it('says when there are no events', async () => {
    const element = mount();
    getTimeline.emit({ chainState: 'INTACT', events: [] });
    await flush();
    expect($(element, '[data-id="empty"]').textContent).toBe('c.SDG_Timeline_Empty');
    await expect(element).toBeAccessible();
  });

  it('says when the trail cannot be loaded', async () => {
    const element = mount();
    getTimeline.error();
    await flush();
    expect($(element, '[role="alert"]').textContent).toBe('c.SDG_Timeline_Load_Error');
  });

  describe('refreshing (getTimeline is a cacheable wire)', () => {
    it('looks again when the record changes, and again while the event is appended', async () => {
      jest.useFakeTimers();
      const element = mount();
      getTimeline.emit({ chainState: 'INTACT', events: [event(1)] });
      getRecord.emit(modstamp('2026-05-31T10:00:00.000Z'));
      await flush();
      expect(getRecord.getLastConfig().optionalFields).toEqual(['Lead.SystemModstamp']);
      jest.runOnlyPendingTimers();
      expect(refreshApex).not.toHaveBeenCalled();
      // A review in the queue calls notifyRecordUpdateAvailable: LDS sends the new record.
      getRecord.emit(modstamp('2026-05-31T10:05:00.000Z'));
      await flush();
      jest.advanceTimersByTime(Math.max(...FOLLOW_UPS_MS));
      expect(refreshApex).toHaveBeenCalledTimes(FOLLOW_UPS_MS.length);
      expect(element).toBeTruthy();
    });

    it('looks again on the refresh button, which is labelled', async () => {
      const element = mount();
      getTimeline.emit({ chainState: 'INTACT', events: [event(1)] });
      await flush();
      const button = $(element, 'lightning-button-icon[data-id="refresh"]');
      expect(button.alternativeText).toBe('c.SDG_Timeline_Refresh');
      button.click();
      expect(refreshApex).toHaveBeenCalledTimes(1);
      await expect(element).toBeAccessible();
    });

    it('stops looking when it leaves the page', async () => {
      jest.useFakeTimers();
      const element = mount();
      getRecord.emit(modstamp('a'));
      getRecord.emit(modstamp('b'));
      await flush();
      document.body.removeChild(element);
      jest.advanceTimersByTime(Math.max(...FOLLOW_UPS_MS));
      expect(refreshApex).not.toHaveBeenCalled();
    });
  });
});
