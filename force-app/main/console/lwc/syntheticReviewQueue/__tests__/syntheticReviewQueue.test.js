import { createElement } from 'lwc';
import SyntheticReviewQueue from 'c/syntheticReviewQueue';
import getQueue from '@salesforce/apex/SyntheticReviewController.getQueue';
import review from '@salesforce/apex/SyntheticReviewController.review';

jest.mock('@salesforce/apex/SyntheticReviewController.getQueue', () => ({ default: jest.fn() }), {
  virtual: true
});
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
});
