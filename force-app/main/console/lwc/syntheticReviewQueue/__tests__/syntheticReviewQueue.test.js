import { createElement } from 'lwc';
import SyntheticReviewQueue from 'c/syntheticReviewQueue';
import getQueue from '@salesforce/apex/SyntheticReviewController.getQueue';
import review from '@salesforce/apex/SyntheticReviewController.review';
import getQueueRecord from '@salesforce/apex/SyntheticReviewController.getQueueRecord';
import { CurrentPageReference } from 'lightning/navigation';
import { notifyRecordUpdateAvailable } from 'lightning/uiRecordApi';
import getGovernedObjects from '@salesforce/apex/SyntheticReviewController.getGovernedObjects';
import SyntheticReasonModal from 'c/syntheticReasonModal';

jest.mock('@salesforce/apex/SyntheticReviewController.getQueue', () => ({ default: jest.fn() }), {
  virtual: true
});
jest.mock(
  '@salesforce/apex/SyntheticReviewController.getQueueRecord',
  () => ({ default: jest.fn() }),
  { virtual: true }
);
jest.mock('@salesforce/apex/SyntheticReviewController.review', () => ({ default: jest.fn() }), {
  virtual: true
});
jest.mock(
  '@salesforce/apex/SyntheticReviewController.getGovernedObjects',
  () => {
    const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true }
);

const row = (n, extra = {}) => ({
  recordId: `00Q00000000000${n}AAA`,
  name: `Lead ${n}`,
  status: 'Quarantined',
  aiModel: 'local/llama-3-70b',
  source: 'Partner Lead Feed',
  reasons: 'UNTRUSTED_MODEL;MISSING_SOURCE',
  confidence: 91,
  createdDate: '2026-05-30T10:00:00.000Z',
  ...extra
});

// Several microtask turns: a mocked Apex promise, the component's await, then the re-render.
const flush = () =>
  [1, 2, 3, 4, 5].reduce((turn) => turn.then(() => Promise.resolve()), Promise.resolve());

function mount(props = {}) {
  const element = createElement('c-synthetic-review-queue', { is: SyntheticReviewQueue });
  Object.assign(element, props);
  document.body.appendChild(element);
  return element;
}

const $ = (element, selector) => element.shadowRoot.querySelector(selector);

/** A queue of one record, selected; `action` clicked, the reason dialog answering `reason`. */
async function decide(action, reason) {
  getQueue.mockResolvedValue({ rows: [row(1)], hasMore: false, lastId: row(1).recordId });
  SyntheticReasonModal.open.mockResolvedValue(reason);
  const element = mount();
  await flush();
  $(element, 'c-synthetic-queue-table').dispatchEvent(
    new CustomEvent('rowselection', { detail: { selectedRows: [row(1)] } })
  );
  await flush();
  $(element, `lightning-button[data-action="${action}"]`).click();
  await flush();
  return element;
}

afterEach(() => {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  jest.clearAllMocks();
});

describe('c-synthetic-review-queue', () => {
  it('shows a spinner while the first page loads', async () => {
    getQueue.mockReturnValue(new Promise(() => {}));
    const element = mount();
    expect($(element, 'lightning-spinner').alternativeText).toBe('c.SDG_Queue_Loading');
    await expect(element).toBeAccessible();
  });

  it('lists the queue with record links and reasons in words, and asks for the next page', async () => {
    getQueue
      .mockResolvedValueOnce({ rows: [row(1), row(2)], hasMore: true, lastId: row(2).recordId })
      .mockResolvedValueOnce({ rows: [row(3)], hasMore: false, lastId: row(3).recordId });
    const element = mount({ defaultObject: 'Lead', pageSize: 2 });
    await flush();
    expect(getQueue).toHaveBeenCalledWith({
      objectApiName: 'Lead',
      status: '',
      afterId: null,
      pageSize: 2
    });
    const table = $(element, 'c-synthetic-queue-table');
    expect(table.data.map((r) => r.url)).toEqual(['/00Q000000000001AAA', '/00Q000000000002AAA']);
    // Reasons go to the table's own reasons cell (labels, codes in tooltips), never joined raw.
    expect(table.data[0].reasons).toBe('UNTRUSTED_MODEL;MISSING_SOURCE');
    expect(table.columns.find((c) => c.fieldName === 'reasons').type).toBe('reasons');
    $(element, 'div.slds-align_absolute-center lightning-button').click();
    await flush();
    expect(getQueue).toHaveBeenLastCalledWith(
      expect.objectContaining({ afterId: '00Q000000000002AAA' })
    );
    expect($(element, 'c-synthetic-queue-table').data).toHaveLength(3);
    expect($(element, 'div.slds-align_absolute-center')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('says the queue is empty', async () => {
    getQueue.mockResolvedValue({ rows: [], hasMore: false, lastId: null });
    const element = mount();
    await flush();
    expect($(element, '[data-id="empty"]').textContent.trim()).toBe('c.SDG_Review_Empty_Queue');
    await expect(element).toBeAccessible();
  });

  it('shows the server message when the queue cannot be loaded', async () => {
    getQueue.mockRejectedValue({ body: { message: 'Insufficient access to Lead.AI_Model__c' } });
    const element = mount();
    await flush();
    expect($(element, '[role="alert"]').textContent).toBe(
      'Insufficient access to Lead.AI_Model__c'
    );
    await expect(element).toBeAccessible();
  });

  it('reloads from the first page when the object or status filter changes', async () => {
    getQueue.mockResolvedValue({ rows: [row(1)], hasMore: false, lastId: row(1).recordId });
    const element = mount();
    await flush();
    const [objectBox, statusBox] = element.shadowRoot.querySelectorAll('lightning-combobox');
    objectBox.dispatchEvent(new CustomEvent('change', { detail: { value: 'Case' } }));
    await flush();
    statusBox.dispatchEvent(new CustomEvent('change', { detail: { value: 'Flagged' } }));
    await flush();
    expect(getQueue).toHaveBeenLastCalledWith({
      objectApiName: 'Case',
      status: 'Flagged',
      afterId: null,
      pageSize: 50
    });
  });

  it('asks for the reason in a modal, releases the selection, reports a partial failure by name and refreshes', async () => {
    getQueue.mockResolvedValue({ rows: [row(1), row(2)], hasMore: false, lastId: row(2).recordId });
    SyntheticReasonModal.open.mockResolvedValue('Vendor confirmed');
    review.mockResolvedValue([
      { recordId: row(1).recordId, success: true, message: null },
      { recordId: row(2).recordId, success: false, message: 'Record is locked by another user' }
    ]);
    const element = mount();
    const toast = jest.fn();
    element.addEventListener('lightning__showtoast', toast);
    await flush();
    const release = $(element, 'lightning-button[data-action="release"]');
    expect(release.disabled).toBe(true);
    $(element, 'c-synthetic-queue-table').dispatchEvent(
      new CustomEvent('rowselection', { detail: { selectedRows: [row(1), row(2)] } })
    );
    await flush();
    expect($(element, '[data-id="actions"] span').textContent).toBe('c.SDG_Queue_Selected');
    expect(release.disabled).toBe(false);
    release.click();
    await flush();
    expect(SyntheticReasonModal.open).toHaveBeenCalledWith(
      expect.objectContaining({ heading: 'c.SDG_Review_Release', summary: 'c.SDG_Queue_Selected' })
    );
    expect(review).toHaveBeenCalledWith({
      recordIds: [row(1).recordId, row(2).recordId],
      action: 'release',
      reason: 'Vendor confirmed'
    });
    expect(toast.mock.calls[0][0].detail.variant).toBe('warning');
    // The record's name, never its Id.
    expect($(element, '[data-id="failures"] li').textContent).toBe(
      'Lead 2: Record is locked by another user'
    );
    // Open record pages and badges hear about the decided record (LDS does not see Apex writes).
    expect(notifyRecordUpdateAvailable).toHaveBeenCalledWith([{ recordId: row(1).recordId }]);
    // getQueue is not cacheable, so this reload reaches the server (a cacheable imperative call
    // with the same parameters would be answered from the client cache in Lightning).
    expect(getQueue).toHaveBeenCalledTimes(2);
    expect(getQueue.mock.calls[1]).toEqual(getQueue.mock.calls[0]);
    await expect(element).toBeAccessible();
  });

  it('sends a selection larger than one call takes in chunks of 200', async () => {
    const many = Array.from({ length: 201 }, (_, i) => row(i + 1000));
    getQueue.mockResolvedValue({ rows: many, hasMore: false, lastId: many[200].recordId });
    SyntheticReasonModal.open.mockResolvedValue('Bulk check');
    review.mockImplementation(({ recordIds }) =>
      Promise.resolve(recordIds.map((recordId) => ({ recordId, success: true })))
    );
    const element = mount();
    await flush();
    $(element, 'c-synthetic-queue-table').dispatchEvent(
      new CustomEvent('rowselection', { detail: { selectedRows: many } })
    );
    await flush();
    $(element, 'lightning-button[data-action="confirm"]').click();
    await flush();
    await flush();
    expect(review.mock.calls.map(([args]) => args.recordIds.length)).toEqual([200, 1]);
    expect(notifyRecordUpdateAvailable.mock.calls[0][0]).toHaveLength(201);
  });

  it('reports the chunks already decided when a later chunk fails, then shows its error', async () => {
    const many = Array.from({ length: 201 }, (_, i) => row(i + 1000));
    getQueue.mockResolvedValue({ rows: many, hasMore: false, lastId: many[200].recordId });
    SyntheticReasonModal.open.mockResolvedValue('Bulk check');
    review
      .mockImplementationOnce(({ recordIds }) =>
        Promise.resolve(recordIds.map((recordId) => ({ recordId, success: true })))
      )
      .mockRejectedValueOnce({ body: { message: 'c.SDG_Review_Busy' } });
    const element = mount();
    const toast = jest.fn();
    element.addEventListener('lightning__showtoast', toast);
    await flush();
    $(element, 'c-synthetic-queue-table').dispatchEvent(
      new CustomEvent('rowselection', { detail: { selectedRows: many } })
    );
    await flush();
    const loads = getQueue.mock.calls.length;
    $(element, 'lightning-button[data-action="confirm"]').click();
    await flush();
    await flush();
    await flush();
    expect(notifyRecordUpdateAvailable.mock.calls[0][0]).toHaveLength(200);
    expect(toast).toHaveBeenCalledTimes(1);
    expect(getQueue.mock.calls.length).toBeGreaterThan(loads);
    expect($(element, '[role="alert"]').textContent).toBe('c.SDG_Review_Busy');
  });

  it('does nothing when the reason dialog is cancelled or dismissed', async () => {
    const element = await decide('reject', undefined);
    expect(SyntheticReasonModal.open).toHaveBeenCalledTimes(1);
    expect(review).not.toHaveBeenCalled();
    expect($(element, 'lightning-button[data-action="reject"]').disabled).toBe(false);
  });

  it('shows the server message when a decision is refused', async () => {
    review.mockRejectedValue({ body: { message: 'c.SDG_Review_Permission_Denied' } });
    const element = await decide('reject', 'Deepfake');
    expect($(element, '[role="alert"]').textContent).toBe('c.SDG_Review_Permission_Denied');
  });

  it('names objects and statuses in words, never API values', async () => {
    getQueue.mockResolvedValue({ rows: [row(1)], hasMore: false, lastId: row(1).recordId });
    const element = mount();
    getGovernedObjects.emit([
      { apiName: 'Lead', label: 'Prospect' },
      { apiName: 'Case', label: 'Ticket' }
    ]);
    await flush();
    const [objectBox, statusBox] = element.shadowRoot.querySelectorAll('lightning-combobox');
    expect(objectBox.options.find((o) => o.value === 'Lead').label).toBe('Prospect');
    expect(objectBox.options.find((o) => o.value === 'Case').label).toBe('Ticket');
    expect(statusBox.options.map((o) => o.label)).toEqual([
      'c.SDG_Queue_All_Statuses',
      'c.SDG_Badge_Quarantined',
      'c.SDG_Badge_Flagged'
    ]);
    const status = $(element, 'c-synthetic-queue-table').columns.find(
      (c) => c.fieldName === 'status'
    );
    expect(status.type).toBe('status');
  });

  describe('the object picker before getGovernedObjects answers', () => {
    const picker = (element) => $(element, '[data-id="object-picker"]');
    const notice = (element) => $(element, '[data-id="object-picker-status"]');

    it('shows no API names, only a disabled picker that says it is loading', async () => {
      getQueue.mockResolvedValue({ rows: [row(1)], hasMore: false, lastId: row(1).recordId });
      const element = mount({ defaultObject: 'Case' });
      await flush();
      expect(picker(element).options).toEqual([]);
      expect(picker(element).value).toBeNull();
      expect(picker(element).disabled).toBe(true);
      expect(picker(element).placeholder).toBe('c.SDG_Queue_Objects_Loading');
      // The placeholder says it is loading; the announced notice waits for an answer.
      expect(notice(element).textContent.trim()).toBe('');
      expect(element.shadowRoot.textContent).not.toMatch(
        /\b(Lead|Contact|Account|Case|Opportunity)\b/
      );
      // The queue itself does not wait for the labels.
      expect(getQueue).toHaveBeenCalledWith(expect.objectContaining({ objectApiName: 'Case' }));
      await expect(element).toBeAccessible();
    });

    it('enables the picker with the labels once they arrive', async () => {
      getQueue.mockResolvedValue({ rows: [], hasMore: false, lastId: null });
      const element = mount({ defaultObject: 'Case' });
      getGovernedObjects.emit([
        { apiName: 'Lead', label: 'Prospect' },
        { apiName: 'Case', label: 'Ticket' }
      ]);
      await flush();
      expect(picker(element).disabled).toBe(false);
      expect(picker(element).value).toBe('Case');
      expect(picker(element).options.map((o) => o.label)).toEqual(['Prospect', 'Ticket']);
      expect(notice(element).textContent.trim()).toBe('');
    });

    it('says the objects could not be loaded, and keeps the queue it opened on', async () => {
      getQueue.mockResolvedValue({ rows: [row(1)], hasMore: false, lastId: row(1).recordId });
      const element = mount();
      getGovernedObjects.error({ message: 'no access' });
      await flush();
      expect(picker(element).disabled).toBe(true);
      expect(picker(element).options).toEqual([]);
      expect(picker(element).placeholder).toBe('c.SDG_Queue_Objects_Error');
      // Said in visible text too, announced: a disabled control's placeholder often is not.
      expect(notice(element).getAttribute('role')).toBe('status');
      expect(notice(element).textContent.trim()).toBe('c.SDG_Queue_Objects_Error');
      expect(notice(element).classList).toContain('slds-text-color_error');
      expect($(element, 'c-synthetic-queue-table').data).toHaveLength(1);
      expect(getQueue).toHaveBeenCalledTimes(1);
      await expect(element).toBeAccessible();
    });

    it('says there is no object the user may read when Apex lists none', async () => {
      getQueue.mockResolvedValue({ rows: [], hasMore: false, lastId: null });
      const element = mount();
      getGovernedObjects.emit([]);
      await flush();
      expect(picker(element).disabled).toBe(true);
      expect(picker(element).placeholder).toBe('c.SDG_Queue_No_Objects');
      expect(notice(element).getAttribute('role')).toBe('status');
      expect(notice(element).textContent.trim()).toBe('c.SDG_Queue_No_Objects');
      await expect(element).toBeAccessible();
    });
  });

  describe('objects governed by configuration (sdg govern)', () => {
    const governed = [
      { apiName: 'Lead', label: 'Lead' },
      { apiName: 'Invoice__c', label: 'Invoice' },
      { apiName: 'Task', label: 'Task' }
    ];

    it('offers the objects Apex lists, with their labels, not a list of five', async () => {
      getQueue.mockResolvedValue({ rows: [], hasMore: false, lastId: null });
      const element = mount();
      getGovernedObjects.emit(governed);
      await flush();
      const objectBox = element.shadowRoot.querySelector('lightning-combobox');
      expect(objectBox.options).toEqual([
        { label: 'Lead', value: 'Lead' },
        { label: 'Invoice', value: 'Invoice__c' },
        { label: 'Task', value: 'Task' }
      ]);
    });

    it('opens on a governed default object once Apex lists it', async () => {
      getQueue.mockResolvedValue({ rows: [], hasMore: false, lastId: null });
      const element = mount({ defaultObject: 'Invoice__c' });
      await flush();
      expect(getQueue).toHaveBeenLastCalledWith(expect.objectContaining({ objectApiName: 'Lead' }));
      getGovernedObjects.emit(governed);
      await flush();
      expect(element.shadowRoot.querySelector('lightning-combobox').value).toBe('Invoice__c');
      expect(getQueue).toHaveBeenLastCalledWith(
        expect.objectContaining({ objectApiName: 'Invoice__c', afterId: null })
      );
    });

    it('falls back to the first governed object when the default is not governed', async () => {
      getQueue.mockResolvedValue({ rows: [], hasMore: false, lastId: null });
      const element = mount({ defaultObject: 'Contact' });
      getGovernedObjects.emit(governed);
      await flush();
      expect(element.shadowRoot.querySelector('lightning-combobox').value).toBe('Lead');
      expect(getQueue).toHaveBeenLastCalledWith(expect.objectContaining({ objectApiName: 'Lead' }));
    });

    it("takes an alert's object when it is governed by configuration", async () => {
      getQueue.mockResolvedValue({ rows: [], hasMore: false, lastId: null });
      getQueueRecord.mockResolvedValue({ rows: [], hasMore: false, lastId: null });
      const element = mount();
      getGovernedObjects.emit(governed);
      CurrentPageReference.emit({
        type: 'standard__navItemPage',
        state: { c__recordId: '00T000000000001AAA', c__object: 'Task' }
      });
      await flush();
      expect(element.shadowRoot.querySelector('lightning-combobox').value).toBe('Task');
    });
  });

  it('formats confidence and dates as the badge does: the locale, one decimal, the month in words', async () => {
    getQueue.mockResolvedValue({
      rows: [row(1), row(2, { confidence: null })],
      hasMore: false,
      lastId: row(2).recordId
    });
    const element = mount();
    await flush();
    const table = $(element, 'c-synthetic-queue-table');
    const column = (name) => table.columns.find((c) => c.fieldName === name);
    expect(column('confidenceFraction')).toEqual(
      expect.objectContaining({
        type: 'percent',
        typeAttributes: { minimumFractionDigits: 0, maximumFractionDigits: 1 }
      })
    );
    expect(table.data.map((r) => r.confidenceFraction)).toEqual([0.91, null]);
    expect(column('createdDate').typeAttributes).toEqual({
      year: 'numeric',
      month: 'short',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit'
    });
  });

  it('orders and styles the decisions the same way everywhere: neutral, neutral, destructive, each with an icon', async () => {
    getQueue.mockResolvedValue({ rows: [row(1)], hasMore: false, lastId: row(1).recordId });
    const element = mount();
    await flush();
    const buttons = [...element.shadowRoot.querySelectorAll('lightning-button[data-action]')];
    expect(buttons.map((b) => [b.dataset.action, b.variant])).toEqual([
      ['release', 'neutral'],
      ['confirm', 'neutral'],
      ['reject', 'destructive']
    ]);
    expect(buttons.every((b) => b.iconName.startsWith('utility:'))).toBe(true);
    expect($(element, 'lightning-card').iconName).toBe('standard:approval');
  });

  describe('opened from an alert (c__recordId in the page state)', () => {
    const focused = (rows) => ({ rows, hasMore: false, lastId: rows[0]?.recordId ?? null });
    const openFromAlert = async (recordId = row(7).recordId, object = 'Contact') => {
      const element = mount();
      CurrentPageReference.emit({
        type: 'standard__navItemPage',
        attributes: { apiName: 'Synthetic_Review_Queue' },
        state: { c__recordId: recordId, c__object: object }
      });
      getGovernedObjects.emit(
        ['Lead', 'Contact', 'Account', 'Case', 'Opportunity'].map((apiName) => ({
          apiName,
          label: apiName
        }))
      );
      await flush();
      return element;
    };

    it('shows only that record, selected, ready for a decision', async () => {
      // The whole queue asked for on connect answers last: it must not replace the record.
      let answerQueue;
      getQueue.mockReturnValue(new Promise((resolve) => (answerQueue = resolve)));
      getQueueRecord.mockResolvedValue(focused([row(7)]));
      const element = await openFromAlert();
      answerQueue({ rows: [row(1), row(2)], hasMore: true, lastId: row(2).recordId });
      await flush();
      expect(getQueueRecord).toHaveBeenCalledWith({ recordId: row(7).recordId });
      const table = $(element, 'c-synthetic-queue-table');
      expect(table.data.map((r) => r.recordId)).toEqual([row(7).recordId]);
      expect(table.selectedRows).toEqual([row(7).recordId]);
      expect(element.shadowRoot.querySelector('lightning-combobox').value).toBe('Contact');
      expect($(element, '[data-id="focus"] p').textContent).toBe('c.SDG_Queue_Focused');
      expect($(element, 'lightning-button[data-action="reject"]').disabled).toBe(false);
      expect($(element, 'lightning-spinner')).toBeNull();
      await expect(element).toBeAccessible();
    });

    it('says when the record is no longer waiting, and shows the whole queue on request', async () => {
      getQueue.mockResolvedValue({ rows: [row(1)], hasMore: false, lastId: row(1).recordId });
      getQueueRecord.mockResolvedValue(focused([]));
      const element = await openFromAlert();
      expect($(element, '[data-id="empty"]').textContent.trim()).toBe('c.SDG_Queue_Not_Waiting');
      $(element, 'lightning-button[data-id="show-all"]').click();
      await flush();
      expect($(element, '[data-id="focus"]')).toBeNull();
      expect(getQueue).toHaveBeenLastCalledWith(
        expect.objectContaining({ objectApiName: 'Contact', afterId: null })
      );
      expect($(element, 'c-synthetic-queue-table').data).toHaveLength(1);
    });

    it('shows the server message when the record cannot be loaded', async () => {
      getQueue.mockResolvedValue({ rows: [], hasMore: false, lastId: null });
      getQueueRecord.mockRejectedValue({ body: { message: 'c.SDG_Review_Unknown_Object' } });
      const element = await openFromAlert('a0A000000000001AAA', 'Synthetic_Alert__c');
      expect($(element, '[role="alert"]').textContent).toBe('c.SDG_Review_Unknown_Object');
      expect(element.shadowRoot.querySelector('lightning-combobox').value).toBe('Lead');
    });

    it('ignores page states without a record and leaves the queue on a filter change', async () => {
      getQueue.mockResolvedValue({ rows: [row(1)], hasMore: false, lastId: row(1).recordId });
      getQueueRecord.mockResolvedValue(focused([row(7)]));
      const element = mount();
      CurrentPageReference.emit({ type: 'standard__navItemPage', state: {} });
      await flush();
      expect(getQueueRecord).not.toHaveBeenCalled();
      CurrentPageReference.emit({ state: { c__recordId: row(7).recordId } });
      await flush();
      expect($(element, 'c-synthetic-queue-table').data).toHaveLength(1);
      element.shadowRoot
        .querySelectorAll('lightning-combobox')[1]
        .dispatchEvent(new CustomEvent('change', { detail: { value: 'Flagged' } }));
      await flush();
      expect($(element, '[data-id="focus"]')).toBeNull();
      expect(getQueue).toHaveBeenLastCalledWith(expect.objectContaining({ status: 'Flagged' }));
    });
  });
});
