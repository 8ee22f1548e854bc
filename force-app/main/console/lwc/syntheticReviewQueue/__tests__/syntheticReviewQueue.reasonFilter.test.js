import { createElement } from 'lwc';
import SyntheticReviewQueue from 'c/syntheticReviewQueue';
import getQueue from '@salesforce/apex/SyntheticReviewController.getQueue';
import getQueueRecord from '@salesforce/apex/SyntheticReviewController.getQueueRecord';
import { CurrentPageReference } from 'lightning/navigation';
import { REASON_CODES } from 'c/syntheticDisplay';

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
// The object list is a wire: mocked as a wire adapter, or mounting fails (connector.connect).
jest.mock(
  '@salesforce/apex/SyntheticReviewController.getGovernedObjects',
  () => {
    const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true }
);

const row = (n, reasons) => ({
  recordId: `00Q00000000000${n}AAA`,
  name: `Lead ${n}`,
  status: 'Quarantined',
  aiModel: 'local/llama-3-70b',
  source: 'Partner Lead Feed',
  reasons,
  confidence: 91,
  createdDate: '2026-05-30T10:00:00.000Z'
});
const page = (rows, hasMore = false) => ({
  rows,
  hasMore,
  lastId: rows.length ? rows[rows.length - 1].recordId : null
});

const flush = () =>
  [1, 2, 3, 4, 5].reduce((turn) => turn.then(() => Promise.resolve()), Promise.resolve());

function mount() {
  const element = createElement('c-synthetic-review-queue', { is: SyntheticReviewQueue });
  document.body.appendChild(element);
  return element;
}

const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const reasonBox = (element) => $(element, 'lightning-combobox[data-id="reason-filter"]');
const choose = async (element, value) => {
  reasonBox(element).dispatchEvent(new CustomEvent('change', { detail: { value } }));
  await flush();
};

afterEach(() => {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  jest.clearAllMocks();
});

// The codes the server accepts (ProvenancePolicy.REASON_ORDER), held by the Apex test
// SyntheticReviewControllerTest.the_reason_filter_accepts_exactly_the_shared_list_of_reason_codes.
const SHARED_REASON_CODES = JSON.parse(
  require('fs').readFileSync(
    require('path').join(
      __dirname,
      '../../../../../test/quarantine/staticresources/ReviewReasonCodes.json'
    ),
    'utf8'
  )
).codes;

describe('c-synthetic-review-queue reason filter', () => {
  it('offers exactly the reason codes the server accepts, in its order', () => {
    expect([...REASON_CODES]).toEqual(SHARED_REASON_CODES);
  });

  it('starts on every reason, labelled, and asks the server without a reason', async () => {
    getQueue.mockResolvedValue(page([row(1, 'MISSING_SOURCE')]));
    const element = mount();
    await flush();
    const box = reasonBox(element);
    expect(box.label).toBe('c.SDG_Queue_Reason');
    expect(box.value).toBe('');
    expect(box.options[0]).toEqual({ label: 'c.SDG_Queue_All_Reasons', value: '' });
    expect(getQueue).toHaveBeenCalledWith({
      objectApiName: 'Lead',
      status: '',
      afterId: null,
      pageSize: 50
    });
    await expect(element).toBeAccessible();
  });

  it('offers every policy reason by its label, never its code', async () => {
    getQueue.mockResolvedValue(page([]));
    const element = mount();
    await flush();
    const options = reasonBox(element).options.slice(1);
    expect(options.map((o) => o.value)).toEqual([...REASON_CODES]);
    expect(options.find((o) => o.value === 'UNREADABLE_MEDIA_PROVENANCE').label).toBe(
      'c.SDG_Reason_Unreadable_Media_Provenance'
    );
    options.forEach((o) => {
      expect(o.label).toMatch(/^c\.SDG_Reason_/);
      expect(o.label).not.toBe(o.value);
    });
  });

  it('reloads from the first page with the chosen reason, and keeps it for the next page', async () => {
    getQueue
      .mockResolvedValueOnce(page([row(1, 'MISSING_SOURCE'), row(2, 'MISSING_MODEL')]))
      .mockResolvedValueOnce(page([row(3, 'MEDIA_AI_MARKER')], true))
      .mockResolvedValueOnce(page([row(4, 'MEDIA_AI_MARKER')]));
    const element = mount();
    await flush();
    await choose(element, 'MEDIA_AI_MARKER');
    expect(getQueue).toHaveBeenLastCalledWith({
      objectApiName: 'Lead',
      status: '',
      afterId: null,
      pageSize: 50,
      reasonCode: 'MEDIA_AI_MARKER'
    });
    expect(reasonBox(element).value).toBe('MEDIA_AI_MARKER');
    expect($(element, 'c-synthetic-queue-table').data.map((r) => r.name)).toEqual(['Lead 3']);
    $(element, 'div.slds-align_absolute-center lightning-button').click();
    await flush();
    expect(getQueue).toHaveBeenLastCalledWith(
      expect.objectContaining({ afterId: row(3).recordId, reasonCode: 'MEDIA_AI_MARKER' })
    );
    expect($(element, 'c-synthetic-queue-table').data).toHaveLength(2);
  });

  it('goes back to every reason without sending one', async () => {
    getQueue.mockResolvedValue(page([row(1, 'MISSING_SOURCE')]));
    const element = mount();
    await flush();
    await choose(element, 'MISSING_SOURCE');
    await choose(element, '');
    expect(getQueue).toHaveBeenLastCalledWith({
      objectApiName: 'Lead',
      status: '',
      afterId: null,
      pageSize: 50
    });
  });

  it('shows a spinner while the filtered page loads', async () => {
    getQueue.mockResolvedValueOnce(page([row(1, 'MISSING_SOURCE')]));
    getQueue.mockReturnValueOnce(new Promise(() => {}));
    const element = mount();
    await flush();
    await choose(element, 'HIGH_CONFIDENCE');
    expect($(element, 'lightning-spinner')).not.toBeNull();
    expect($(element, 'c-synthetic-queue-table')).toBeNull();
  });

  it('says the queue is empty when no record holds the reason', async () => {
    getQueue
      .mockResolvedValueOnce(page([row(1, 'MISSING_SOURCE')]))
      .mockResolvedValueOnce(page([]));
    const element = mount();
    await flush();
    await choose(element, 'RECALLED');
    expect($(element, '[data-id="empty"]').textContent.trim()).toBe('c.SDG_Review_Empty_Queue');
    await expect(element).toBeAccessible();
  });

  it("shows the server's message when it refuses the reason", async () => {
    getQueue
      .mockResolvedValueOnce(page([row(1, 'MISSING_SOURCE')]))
      .mockRejectedValueOnce({ body: { message: 'c.SDG_Review_Unknown_Reason' } });
    const element = mount();
    await flush();
    await choose(element, 'MISSING_HASH');
    expect($(element, '[role="alert"]').textContent).toBe('c.SDG_Review_Unknown_Reason');
    await expect(element).toBeAccessible();
  });

  it('leaves the record opened from an alert for the filtered queue', async () => {
    getQueue.mockResolvedValue(page([row(2, 'MEDIA_AI_MARKER')]));
    getQueueRecord.mockResolvedValue(page([row(7, 'MISSING_SOURCE')]));
    const element = mount();
    CurrentPageReference.emit({
      type: 'standard__navItemPage',
      attributes: { apiName: 'Synthetic_Review_Queue' },
      state: { c__recordId: row(7).recordId, c__object: 'Lead' }
    });
    await flush();
    expect($(element, '[data-id="focus"]')).not.toBeNull();
    await choose(element, 'MEDIA_AI_MARKER');
    expect($(element, '[data-id="focus"]')).toBeNull();
    expect(getQueue).toHaveBeenLastCalledWith(
      expect.objectContaining({ afterId: null, reasonCode: 'MEDIA_AI_MARKER' })
    );
    expect($(element, 'c-synthetic-queue-table').data.map((r) => r.name)).toEqual(['Lead 2']);
  });
});
