import { createElement } from 'lwc';
import { getRecord, notifyRecordUpdateAvailable } from 'lightning/uiRecordApi';
import LightningConfirm from 'lightning/confirm';
import { navigated } from 'lightning/navigation';
import SyntheticRecallPanel, { POLL_MS } from 'c/syntheticRecallPanel';
import approve from '@salesforce/apex/SyntheticRecallController.approve';
import cancel from '@salesforce/apex/SyntheticRecallController.cancel';
import requestUndo from '@salesforce/apex/SyntheticRecallController.requestUndo';
import undoOf from '@salesforce/apex/SyntheticRecallController.undoOf';

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
jest.mock('@salesforce/customPermission/Review_Synthetic_Data', () => ({ default: true }), {
  virtual: true
});
jest.mock('@salesforce/customPermission/Request_Synthetic_Recall', () => ({ default: true }), {
  virtual: true
});
jest.mock('@salesforce/label/c.SDG_Recall_Load_Error', () => ({ default: 'Not loaded: {0}' }), {
  virtual: true
});
jest.mock('lightning/confirm', () => ({ __esModule: true, default: { open: jest.fn() } }));
jest.mock('lightning/uiRecordApi', () => {
  const actual = jest.requireActual('lightning/uiRecordApi');
  return { ...actual, notifyRecordUpdateAvailable: jest.fn(() => Promise.resolve()) };
});

// The jest transformer's @salesforce/user/Id.
const ME = '005000000000000000';
const SOMEONE_ELSE = '005000000000009AAA';
const RECALL_ID = 'a0R000000000001AAA';

// A lookup's related record, as Lightning Data Service nests it.
const person = (name) => ({
  value: name ? { apiName: 'User', fields: { Name: { value: name, displayValue: null } } } : null,
  displayValue: name ?? null
});

function recall(fields) {
  const values = {
    Name: 'RC-000007',
    Action__c: 'Quarantine',
    State__c: 'Requested',
    Planned_Count__c: 28,
    Applied_Count__c: null,
    Failed_Count__c: null,
    Skipped_Count__c: null,
    Requested_By__c: SOMEONE_ELSE,
    Result_Summary__c: null,
    Undoes__c: null,
    ...fields
  };
  const { requester, approver, ...plain } = values;
  return {
    apiName: 'Synthetic_Recall__c',
    id: RECALL_ID,
    fields: {
      ...Object.fromEntries(
        Object.entries(plain).map(([name, value]) => [name, { value, displayValue: null }])
      ),
      Requested_By__r: person(requester ?? 'Ada Admin'),
      Approved_By__r: person(approver)
    }
  };
}

const flush = () =>
  [1, 2, 3, 4, 5, 6].reduce((turn) => turn.then(() => Promise.resolve()), Promise.resolve());

function mount() {
  const element = createElement('c-synthetic-recall-panel', { is: SyntheticRecallPanel });
  element.recordId = RECALL_ID;
  document.body.appendChild(element);
  return element;
}

async function showing(fields) {
  const element = mount();
  getRecord.emit(recall(fields));
  await flush();
  return element;
}

const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const text = (element) => element.shadowRoot.textContent;
const buttons = (element) =>
  [...element.shadowRoot.querySelectorAll('lightning-button')].map((b) => b.label);

afterEach(() => {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  jest.clearAllMocks();
  jest.useRealTimers();
});

describe('c-synthetic-recall-panel', () => {
  it('shows an accessible spinner while the recall loads', async () => {
    const element = mount();
    expect($(element, 'lightning-spinner').alternativeText).toBe('c.SDG_Recall_Loading');
    await expect(element).toBeAccessible();
  });

  it('says why when the recall cannot be loaded (an LDS error body is an array)', async () => {
    const element = mount();
    getRecord.error(
      [{ errorCode: 'INSUFFICIENT_ACCESS', message: 'You do not have access to this record.' }],
      403,
      'Forbidden'
    );
    await flush();
    expect($(element, '[role="alert"]').textContent).toBe(
      'Not loaded: You do not have access to this record.'
    );
    expect($(element, 'lightning-button')).toBeNull();
  });

  it('reads the recall through Lightning Data Service', async () => {
    mount();
    await flush();
    expect(getRecord.getLastConfig().recordId).toBe(RECALL_ID);
    expect(getRecord.getLastConfig().fields.map((f) => f.fieldApiName)).toEqual(
      expect.arrayContaining(['State__c', 'Requested_By__c', 'Planned_Count__c'])
    );
    expect(getRecord.getLastConfig().optionalFields.map((f) => f.fieldApiName)).toEqual([
      'Requested_By__r.Name',
      'Approved_By__r.Name'
    ]);
  });

  it('lets a second person with the review permission approve, after confirming', async () => {
    const element = await showing({});
    // The secondary action first, the brand one last, as in the review dialog's footer.
    expect(buttons(element)).toEqual(['c.SDG_Recall_Cancel', 'c.SDG_Recall_Approve']);
    expect($(element, 'lightning-button.approve').variant).toBe('brand');
    expect($(element, 'lightning-card').iconName).toBe('standard:return_order');
    expect($(element, 'lightning-progress-indicator').currentStep).toBe('Requested');
    expect($(element, '.requester').textContent).toBe('Ada Admin');
    expect($(element, '.approver').textContent).toBe('c.SDG_Recall_Not_Yet');
    expect(
      [...element.shadowRoot.querySelectorAll('.counts dd')].map((d) => d.textContent)
    ).toEqual(['28', '–', '–', '–', 'Ada Admin', 'c.SDG_Recall_Not_Yet']);
    expect(text(element)).toContain('c.SDG_Recall_Waiting');
    const onToast = jest.fn();
    element.addEventListener('lightning__showtoast', onToast);
    LightningConfirm.open.mockResolvedValue(true);
    approve.mockResolvedValue('707000000000001AAA');
    $(element, 'lightning-button.approve').click();
    await flush();
    expect(LightningConfirm.open).toHaveBeenCalledWith(
      expect.objectContaining({ message: 'c.SDG_Recall_Confirm_Approve_Many', theme: 'warning' })
    );
    expect(approve).toHaveBeenCalledWith({ recallId: RECALL_ID });
    expect(onToast.mock.calls[0][0].detail.variant).toBe('success');
    expect(notifyRecordUpdateAvailable).toHaveBeenCalledWith([{ recordId: RECALL_ID }]);
    await expect(element).toBeAccessible();
  });

  it('asks about one record in the singular, the action by its label, the counts in the locale', async () => {
    const element = mount();
    const data = recall({ Planned_Count__c: 1 });
    data.fields.Action__c.displayValue = 'Quarantine the records';
    getRecord.emit(data);
    await flush();
    LightningConfirm.open.mockResolvedValue(false);
    $(element, 'lightning-button.approve').click();
    await flush();
    expect(LightningConfirm.open.mock.calls[0][0].message).toBe('c.SDG_Recall_Confirm_Approve_One');
    getRecord.emit(
      recall({ State__c: 'Applied', Planned_Count__c: 12345, Applied_Count__c: 12000 })
    );
    await flush();
    expect(
      [...element.shadowRoot.querySelectorAll('.counts dd')].slice(0, 2).map((d) => d.textContent)
    ).toEqual(['12,345', '12,000']);
  });

  it('approves nothing when the confirmation is dismissed', async () => {
    const element = await showing({});
    LightningConfirm.open.mockResolvedValue(false);
    $(element, 'lightning-button.approve').click();
    await flush();
    expect(approve).not.toHaveBeenCalled();
  });

  it('shows the server refusal in an error toast', async () => {
    const element = await showing({});
    const onToast = jest.fn();
    element.addEventListener('lightning__showtoast', onToast);
    LightningConfirm.open.mockResolvedValue(true);
    approve.mockRejectedValue({ body: { message: 'A recall needs a second person.' } });
    $(element, 'lightning-button.approve').click();
    await flush();
    expect(onToast.mock.calls[0][0].detail).toMatchObject({
      variant: 'error',
      message: 'c.SDG_Recall_Action_Error'
    });
    expect($(element, 'lightning-button.approve').disabled).toBe(false);
  });

  it('never offers the requester the approve button, only cancel', async () => {
    const element = await showing({ Requested_By__c: ME });
    expect(buttons(element)).toEqual(['c.SDG_Recall_Cancel']);
    expect(text(element)).toContain('c.SDG_Recall_Waiting_Requester');
    cancel.mockResolvedValue(undefined);
    $(element, 'lightning-button.cancel').click();
    await flush();
    expect(cancel).toHaveBeenCalledWith({ recallId: RECALL_ID });
  });

  it('looks again every few seconds while the batch runs, and stops when it leaves', async () => {
    jest.useFakeTimers();
    const element = await showing({ State__c: 'Running' });
    expect(text(element)).toContain('c.SDG_Recall_Running');
    expect(buttons(element)).toEqual([]);
    jest.advanceTimersByTime(POLL_MS * 2);
    expect(notifyRecordUpdateAvailable).toHaveBeenCalledTimes(2);
    document.body.removeChild(element);
    jest.advanceTimersByTime(POLL_MS * 2);
    expect(notifyRecordUpdateAvailable).toHaveBeenCalledTimes(2);
  });

  it('shows the results and first failures of a partly applied recall, and offers the undo', async () => {
    const element = await showing({
      State__c: 'Partially Applied',
      approver: 'Rey Reviewer',
      Applied_Count__c: 27,
      Failed_Count__c: 1,
      Skipped_Count__c: 0,
      Result_Summary__c: JSON.stringify({
        byObject: { Lead: { Applied: 27, Failed: 1 } },
        failures: ['00Q000000000001AAA: UNABLE_TO_LOCK_ROW']
      })
    });
    expect($(element, 'lightning-progress-indicator').currentStep).toBe('Done');
    expect($(element, '.result').textContent).toBe('c.SDG_Recall_Finished');
    expect($(element, '.approver').textContent).toBe('Rey Reviewer');
    expect(
      [...element.shadowRoot.querySelectorAll('.failures li')].map((li) => li.textContent)
    ).toEqual(['00Q000000000001AAA: UNABLE_TO_LOCK_ROW']);
    expect(buttons(element)).toEqual(['c.SDG_Recall_Request_Undo']);
    requestUndo.mockResolvedValue('a0R000000000002AAA');
    $(element, 'lightning-button.undo').click();
    await flush();
    expect(requestUndo).toHaveBeenCalledWith({ recallId: RECALL_ID });
    expect(navigated.mock.calls[0][0]).toMatchObject({
      type: 'standard__recordPage',
      attributes: { recordId: 'a0R000000000002AAA', actionName: 'view' }
    });
    await expect(element).toBeAccessible();
  });

  it('names failed records with a link instead of their Id', async () => {
    const element = await showing({
      State__c: 'Partially Applied',
      Applied_Count__c: 1,
      Failed_Count__c: 1,
      Result_Summary__c: JSON.stringify({
        failures: ['00Q000000000001AAA: UNABLE_TO_LOCK_ROW'],
        failedRecords: [
          {
            recordId: '00Q000000000001AAA',
            objectType: 'Lead',
            name: 'Jane Doe',
            message: 'UNABLE_TO_LOCK_ROW'
          }
        ]
      })
    });
    const item = element.shadowRoot.querySelector('.failures li');
    expect(item.textContent).toBe('Jane Doe: UNABLE_TO_LOCK_ROW');
    expect(item.querySelector('a').getAttribute('href')).toBe('/00Q000000000001AAA');
    await expect(element).toBeAccessible();
  });

  it('offers no second undo once one was requested', async () => {
    const element = await showing({ State__c: 'Applied', Applied_Count__c: 3 });
    expect(buttons(element)).toEqual(['c.SDG_Recall_Request_Undo']);
    undoOf.emit('a0R000000000002AAA');
    await flush();
    expect(buttons(element)).toEqual([]);
    expect($(element, '.undo-requested').textContent).toBe('c.SDG_Recall_Undo_Requested_Already');
  });

  it('offers no undo of a retention run, and says a dry run changed nothing', async () => {
    const element = await showing({
      Action__c: 'Retention',
      State__c: 'Dry Run',
      Applied_Count__c: 12,
      requester: 'Automated Process'
    });
    expect($(element, '.dry-run').textContent).toBe('c.SDG_Recall_Dry_Run');
    expect($(element, '.result')).toBeNull();
    expect($(element, 'lightning-progress-indicator').currentStep).toBe('Done');
    expect(buttons(element)).toEqual([]);
    await expect(element).toBeAccessible();
  });

  it('shows why a dry run stopped short under its notice', async () => {
    // Before: the failures list sat in the finished branch, which a Dry Run never reaches, so a
    // dry run whose next object could not be queued looked like a complete one.
    const stopped =
      'Stopped: the next run of this recall could not be queued (the Apex flex queue holds 100 jobs).';
    const element = await showing({
      Action__c: 'Retention',
      State__c: 'Dry Run',
      Planned_Count__c: 3,
      requester: 'Automated Process',
      Result_Summary__c: JSON.stringify({ wouldTake: { 'Lead.delete': 3 }, failures: [stopped] })
    });
    expect($(element, '.dry-run').textContent).toBe('c.SDG_Recall_Dry_Run');
    expect($(element, '.result')).toBeNull();
    expect(
      [...element.shadowRoot.querySelectorAll('.failures li')].map((li) => li.textContent)
    ).toEqual([stopped]);
    expect($(element, 'h3').textContent).toBe('c.SDG_Recall_Failures');
    await expect(element).toBeAccessible();
  });

  it('names the final step with the state in the user language', async () => {
    const element = mount();
    const data = recall({ State__c: 'Applied', Applied_Count__c: 1 });
    data.fields.State__c.displayValue = 'Angewendet';
    getRecord.emit(data);
    await flush();
    const steps = [...element.shadowRoot.querySelectorAll('lightning-progress-step')];
    expect(steps[3].label).toBe('Angewendet');
  });

  it('says a cancelled recall changed nothing and offers no action', async () => {
    const element = await showing({ State__c: 'Cancelled' });
    expect(text(element)).toContain('c.SDG_Recall_Was_Cancelled');
    expect($(element, 'lightning-progress-indicator')).toBeNull();
    expect(buttons(element)).toEqual([]);
  });

  it('marks an undo as one, and shows a failed recall without an undo', async () => {
    const element = await showing({
      State__c: 'Failed',
      Action__c: 'Undo',
      Undoes__c: 'a0R000000000001AAA',
      Applied_Count__c: 0,
      Failed_Count__c: 3,
      Result_Summary__c: 'not json'
    });
    expect(text(element)).toContain('c.SDG_Recall_Undo_Of');
    expect(buttons(element)).toEqual([]);
    expect(element.shadowRoot.querySelector('.failures')).toBeNull();
  });
});
