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
    // "Release · ACCEPT" was the raw codes: now the event type's and the decision's labels,
    // each code in its tooltip.
    const type = items[0].querySelector('[data-id="type"]');
    expect(type.textContent).toBe('c.SDG_Event_Release');
    expect(type.title).toBe('Release');
    expect(items[0].querySelector('h3').textContent).not.toMatch(/ACCEPT|·/);
    const decision = items[0].querySelector('[data-id="decision"]');
    expect(decision.textContent.trim()).toBe('c.SDG_Timeline_Decision');
    expect(decision.title).toBe('ACCEPT');
    const reasons = items[1].querySelector('c-synthetic-reason-list');
    expect(reasons.reasons).toBe('MISSING_SOURCE;UNTRUSTED_MODEL');
    expect(
      [...reasons.shadowRoot.querySelectorAll('lightning-helptext')].map((help) => help.content)
    ).toEqual(['MISSING_SOURCE', 'UNTRUSTED_MODEL']);
    const when = items[1].querySelector('lightning-formatted-date-time');
    expect([when.month, when.day, when.hour]).toEqual(['short', '2-digit', '2-digit']);
    expect(items[1].querySelector('p.slds-text-color_weak').textContent).toBe('c.SDG_Timeline_By');
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
      ['utility:ban', undefined],
      ['utility:lock', 'error']
    ]);
    await expect(element).toBeAccessible();
  });

  it('names an event type or decision it has no label for "other", the code in the tooltip', async () => {
    const element = mount();
    getTimeline.emit({
      chainState: 'INTACT',
      events: [event(9, { eventType: 'SomethingNew', decision: 'ESCALATE', reasons: 'NEW_CODE' })]
    });
    await flush();
    const type = $(element, '[data-id="type"]');
    expect(type.textContent).toBe('c.SDG_Event_Other');
    expect(type.title).toBe('SomethingNew');
    expect($(element, '[data-id="decision"]').title).toBe('ESCALATE');
    expect($(element, 'li lightning-icon').iconName).toBe('utility:record');
    expect($(element, 'lightning-card').iconName).toBe('standard:feed');
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
