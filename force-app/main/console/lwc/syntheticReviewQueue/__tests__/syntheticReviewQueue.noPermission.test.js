import { createElement } from 'lwc';
import SyntheticReviewQueue from 'c/syntheticReviewQueue';
import getQueue from '@salesforce/apex/SyntheticReviewController.getQueue';

jest.mock('@salesforce/apex/SyntheticReviewController.getQueue', () => ({ default: jest.fn() }), {
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
jest.mock('@salesforce/customPermission/Review_Synthetic_Data', () => ({ default: false }), {
  virtual: true
});

// Several microtask turns: a mocked Apex promise, the component's await, then the re-render.
const flush = () =>
  [1, 2, 3, 4, 5].reduce((turn) => turn.then(() => Promise.resolve()), Promise.resolve());

afterEach(() => {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
});

describe('c-synthetic-review-queue without the review permission', () => {
  it('shows the queue but hides every review action and the selection', async () => {
    getQueue.mockResolvedValue({
      rows: [{ recordId: '00Q000000000001AAA', name: 'Lead 1', status: 'Quarantined' }],
      hasMore: false,
      lastId: '00Q000000000001AAA'
    });
    const element = createElement('c-synthetic-review-queue', { is: SyntheticReviewQueue });
    document.body.appendChild(element);
    await flush();
    expect(element.shadowRoot.querySelector('[data-id="actions"]')).toBeNull();
    expect(element.shadowRoot.querySelectorAll('lightning-button[data-action]')).toHaveLength(0);
    expect(element.shadowRoot.querySelector('c-synthetic-queue-table').hideCheckboxColumn).toBe(
      true
    );
    expect(element.shadowRoot.querySelector('[data-id="read-only"]').textContent).toBe(
      'c.SDG_Queue_Read_Only'
    );
    await expect(element).toBeAccessible();
  });
});
