import { createElement } from 'lwc';
import { getRecord } from 'lightning/uiRecordApi';
import SyntheticRecallPanel from 'c/syntheticRecallPanel';

jest.mock('@salesforce/apex/SyntheticRecallController.approve', () => ({ default: jest.fn() }), {
  virtual: true
});
jest.mock('@salesforce/apex/SyntheticRecallController.cancel', () => ({ default: jest.fn() }), {
  virtual: true
});
jest.mock(
  '@salesforce/apex/SyntheticRecallController.requestUndo',
  () => ({ default: jest.fn() }),
  { virtual: true }
);
jest.mock(
  '@salesforce/apex/SyntheticRecallController.undoOf',
  () => {
    const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true }
);
jest.mock('@salesforce/customPermission/Review_Synthetic_Data', () => ({ default: false }), {
  virtual: true
});
jest.mock('@salesforce/customPermission/Request_Synthetic_Recall', () => ({ default: false }), {
  virtual: true
});

afterEach(() => {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
});

describe('c-synthetic-recall-panel without the review and request permissions', () => {
  it('hides approve (the server refuses it too) but lets the request be cancelled', async () => {
    const element = createElement('c-synthetic-recall-panel', { is: SyntheticRecallPanel });
    element.recordId = 'a0R000000000001AAA';
    document.body.appendChild(element);
    getRecord.emit({
      apiName: 'Synthetic_Recall__c',
      id: 'a0R000000000001AAA',
      fields: {
        Name: { value: 'RC-000007', displayValue: null },
        State__c: { value: 'Requested', displayValue: null },
        Requested_By__c: { value: '005000000000009AAA', displayValue: null }
      }
    });
    await Promise.resolve();
    const labels = [...element.shadowRoot.querySelectorAll('lightning-button')].map((b) => b.label);
    expect(labels).toEqual(['c.SDG_Recall_Cancel']);
  });

  it('offers no undo to a user who cannot request recalls (the server refuses it too)', async () => {
    const element = createElement('c-synthetic-recall-panel', { is: SyntheticRecallPanel });
    element.recordId = 'a0R000000000001AAA';
    document.body.appendChild(element);
    getRecord.emit({
      apiName: 'Synthetic_Recall__c',
      id: 'a0R000000000001AAA',
      fields: {
        Name: { value: 'RC-000007', displayValue: null },
        Action__c: { value: 'Quarantine', displayValue: null },
        State__c: { value: 'Applied', displayValue: null },
        Requested_By__c: { value: '005000000000009AAA', displayValue: null }
      }
    });
    await Promise.resolve();
    expect(element.shadowRoot.querySelectorAll('lightning-button')).toHaveLength(0);
  });
});
