import { createElement } from 'lwc';
import SyntheticReviewQueue from 'c/syntheticReviewQueue';
import getQueue from '@salesforce/apex/SyntheticReviewController.getQueue';
import review from '@salesforce/apex/SyntheticReviewController.review';
import getQueueRecord from '@salesforce/apex/SyntheticReviewController.getQueueRecord';
import { CurrentPageReference } from 'lightning/navigation';

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

/** A queue of one record, selected, with the reason dialog of `action` open. */
async function openDialog(action) {
  getQueue.mockResolvedValue({ rows: [row(1)], hasMore: false, lastId: row(1).recordId });
  const element = mount();
  await flush();
  $(element, 'lightning-datatable').dispatchEvent(
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
    const table = $(element, 'lightning-datatable');
    expect(table.data.map((r) => r.url)).toEqual(['/00Q000000000001AAA', '/00Q000000000002AAA']);
    expect(table.data[0].reasonText).toBe('UNTRUSTED_MODEL, MISSING_SOURCE');
    $(element, 'div.slds-align_absolute-center lightning-button').click();
    await flush();
    expect(getQueue).toHaveBeenLastCalledWith(
      expect.objectContaining({ afterId: '00Q000000000002AAA' })
    );
    expect($(element, 'lightning-datatable').data).toHaveLength(3);
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

  it('needs a reason, then releases the selection and reports a partial failure', async () => {
    getQueue.mockResolvedValue({ rows: [row(1), row(2)], hasMore: false, lastId: row(2).recordId });
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
    $(element, 'lightning-datatable').dispatchEvent(
      new CustomEvent('rowselection', { detail: { selectedRows: [row(1), row(2)] } })
    );
    await flush();
    expect($(element, '[data-id="actions"] span').textContent).toBe('c.SDG_Queue_Selected');
    expect(release.disabled).toBe(false);
    release.click();
    await flush();
    const dialog = $(element, 'section[role="dialog"]');
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    $(element, 'lightning-button[data-id="submit"]').click();
    await flush();
    expect(review).not.toHaveBeenCalled();
    const textarea = $(element, 'lightning-textarea');
    expect($(element, 'section[role="dialog"]')).not.toBeNull();
    textarea.dispatchEvent(new CustomEvent('change', { detail: { value: 'Vendor confirmed' } }));
    $(element, 'lightning-button[data-id="submit"]').click();
    await flush();
    expect(review).toHaveBeenCalledWith({
      recordIds: [row(1).recordId, row(2).recordId],
      action: 'release',
      reason: 'Vendor confirmed'
    });
    expect(toast.mock.calls[0][0].detail.variant).toBe('warning');
    expect($(element, '[data-id="failures"] li').textContent).toContain(
      'Record is locked by another user'
    );
    expect(getQueue).toHaveBeenCalledTimes(2);
    await expect(element).toBeAccessible();
  });

  it('closes the reason dialog with Cancel or Escape without saving', async () => {
    const element = await openDialog('reject');
    $(element, 'section[role="dialog"]').dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Escape' })
    );
    await flush();
    expect($(element, 'section[role="dialog"]')).toBeNull();
    $(element, 'lightning-button[data-action="confirm"]').click();
    await flush();
    $(element, '.slds-modal__footer lightning-button').click();
    await flush();
    expect($(element, 'section[role="dialog"]')).toBeNull();
    expect(review).not.toHaveBeenCalled();
  });

  it('shows the server message when a decision is refused', async () => {
    review.mockRejectedValue({ body: { message: 'c.SDG_Review_Permission_Denied' } });
    const element = await openDialog('reject');
    $(element, 'lightning-textarea').dispatchEvent(
      new CustomEvent('change', { detail: { value: 'Deepfake' } })
    );
    $(element, 'lightning-button[data-id="submit"]').click();
    await flush();
    expect($(element, '[role="alert"]').textContent).toBe('c.SDG_Review_Permission_Denied');
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
      const table = $(element, 'lightning-datatable');
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
      expect($(element, 'lightning-datatable').data).toHaveLength(1);
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
      expect($(element, 'lightning-datatable').data).toHaveLength(1);
      element.shadowRoot
        .querySelectorAll('lightning-combobox')[1]
        .dispatchEvent(new CustomEvent('change', { detail: { value: 'Flagged' } }));
      await flush();
      expect($(element, '[data-id="focus"]')).toBeNull();
      expect(getQueue).toHaveBeenLastCalledWith(expect.objectContaining({ status: 'Flagged' }));
    });
  });
});
