import { LightningElement, api, wire } from 'lwc';
import {
  getRecord,
  getFieldValue,
  getFieldDisplayValue,
  notifyRecordUpdateAvailable
} from 'lightning/uiRecordApi';
import { refreshApex } from '@salesforce/apex';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import { NavigationMixin } from 'lightning/navigation';
import LightningConfirm from 'lightning/confirm';
import approve from '@salesforce/apex/SyntheticRecallController.approve';
import cancel from '@salesforce/apex/SyntheticRecallController.cancel';
import requestUndo from '@salesforce/apex/SyntheticRecallController.requestUndo';
import undoOf from '@salesforce/apex/SyntheticRecallController.undoOf';
import canReview from '@salesforce/customPermission/Review_Synthetic_Data';
import canRequest from '@salesforce/customPermission/Request_Synthetic_Recall';
import userId from '@salesforce/user/Id';
import NAME from '@salesforce/schema/Synthetic_Recall__c.Name';
import ACTION from '@salesforce/schema/Synthetic_Recall__c.Action__c';
import STATE from '@salesforce/schema/Synthetic_Recall__c.State__c';
import PLANNED from '@salesforce/schema/Synthetic_Recall__c.Planned_Count__c';
import APPLIED from '@salesforce/schema/Synthetic_Recall__c.Applied_Count__c';
import FAILED from '@salesforce/schema/Synthetic_Recall__c.Failed_Count__c';
import SKIPPED from '@salesforce/schema/Synthetic_Recall__c.Skipped_Count__c';
import REQUESTED_BY from '@salesforce/schema/Synthetic_Recall__c.Requested_By__c';
import RESULT_SUMMARY from '@salesforce/schema/Synthetic_Recall__c.Result_Summary__c';
import UNDOES from '@salesforce/schema/Synthetic_Recall__c.Undoes__c';
import REQUESTER_NAME from '@salesforce/schema/Synthetic_Recall__c.Requested_By__r.Name';
import APPROVER_NAME from '@salesforce/schema/Synthetic_Recall__c.Approved_By__r.Name';
import PLANNED_LABEL from '@salesforce/label/c.SDG_Recall_Planned';
import APPLIED_LABEL from '@salesforce/label/c.SDG_Recall_Applied';
import FAILED_LABEL from '@salesforce/label/c.SDG_Recall_Failed';
import SKIPPED_LABEL from '@salesforce/label/c.SDG_Recall_Skipped';
import REQUESTED_BY_LABEL from '@salesforce/label/c.SDG_Recall_Requested_By';
import APPROVED_BY_LABEL from '@salesforce/label/c.SDG_Recall_Approved_By';
import NOT_YET from '@salesforce/label/c.SDG_Recall_Not_Yet';
import TITLE from '@salesforce/label/c.SDG_Recall_Panel_Title';
import APPROVE from '@salesforce/label/c.SDG_Recall_Approve';
import CANCEL from '@salesforce/label/c.SDG_Recall_Cancel';
import REQUEST_UNDO from '@salesforce/label/c.SDG_Recall_Request_Undo';
import REFRESH from '@salesforce/label/c.SDG_Recall_Refresh';
import CONFIRM_APPROVE_ONE from '@salesforce/label/c.SDG_Recall_Confirm_Approve_One';
import CONFIRM_APPROVE_MANY from '@salesforce/label/c.SDG_Recall_Confirm_Approve_Many';
import APPROVED_TOAST from '@salesforce/label/c.SDG_Recall_Approved_Toast';
import CANCELLED_TOAST from '@salesforce/label/c.SDG_Recall_Cancelled_Toast';
import UNDO_REQUESTED_TOAST from '@salesforce/label/c.SDG_Recall_Undo_Requested_Toast';
import WAITING_REQUESTER from '@salesforce/label/c.SDG_Recall_Waiting_Requester';
import WAITING from '@salesforce/label/c.SDG_Recall_Waiting';
import RUNNING from '@salesforce/label/c.SDG_Recall_Running';
import FINISHED from '@salesforce/label/c.SDG_Recall_Finished';
import FAILURES from '@salesforce/label/c.SDG_Recall_Failures';
import UNDO_OF from '@salesforce/label/c.SDG_Recall_Undo_Of';
import WAS_CANCELLED from '@salesforce/label/c.SDG_Recall_Was_Cancelled';
import LOADING from '@salesforce/label/c.SDG_Recall_Loading';
import LOAD_ERROR from '@salesforce/label/c.SDG_Recall_Load_Error';
import ACTION_ERROR from '@salesforce/label/c.SDG_Recall_Action_Error';
import PROGRESS from '@salesforce/label/c.SDG_Recall_Progress';
import STEP_REQUESTED from '@salesforce/label/c.SDG_Recall_Step_Requested';
import STEP_APPROVED from '@salesforce/label/c.SDG_Recall_Step_Approved';
import STEP_RUNNING from '@salesforce/label/c.SDG_Recall_Step_Running';
import STEP_DONE from '@salesforce/label/c.SDG_Recall_Step_Done';
import DRY_RUN from '@salesforce/label/c.SDG_Recall_Dry_Run';
import UNDO_REQUESTED from '@salesforce/label/c.SDG_Recall_Undo_Requested_Already';
import { CARD_ICONS, formatNumber, plural } from 'c/syntheticDisplay';

const FIELDS = [
  NAME,
  ACTION,
  STATE,
  PLANNED,
  APPLIED,
  FAILED,
  SKIPPED,
  REQUESTED_BY,
  RESULT_SUMMARY,
  UNDOES
];
// Optional: a user who cannot see the User lookup still sees the recall.
const PEOPLE = [REQUESTER_NAME, APPROVER_NAME];
const DONE_STATES = ['Applied', 'Partially Applied', 'Failed', 'Dry Run'];
// The actions SyntheticRecallService.requestUndo accepts (never Undo or Retention).
const UNDOABLE_ACTIONS = ['Quarantine', 'Delete', 'Restore'];
const UNDOABLE_STATES = ['Applied', 'Partially Applied'];
const STEPS = ['Requested', 'Approved', 'Running', 'Done'];
/** How often the page looks again while the batch runs (it works asynchronously). */
export const POLL_MS = 5000;

const format = (template, ...values) =>
  values.reduce((text, value, i) => text.replaceAll(`{${i}}`, value ?? ''), template);

/** A count in the user's locale; a dash when the batch has not counted yet. */
const count = (value) => (value === null || value === undefined ? '–' : formatNumber(value));

// Lightning Data Service errors carry an array body of {errorCode, message}; Apex and fetch
// errors an object body with a message; a JavaScript error a message.
export const messageOf = (error) => {
  const body = error?.body;
  if (Array.isArray(body))
    return body
      .map((e) => e?.message)
      .filter(Boolean)
      .join(', ');
  return body?.message ?? error?.message ?? '';
};

/**
 * The recall record page's panel: where the recall is (requested → approved → running → done),
 * what it will do or did (counts, first failures), and the buttons the two-person rule allows the
 * viewer: a second person with Review_Synthetic_Data approves, anyone who may edit cancels a
 * request, and an applied recall can be undone (itself a recall to approve). The server checks
 * every rule again. Reads the recall through Lightning Data Service and looks again every few
 * seconds while the batch runs.
 */
export default class SyntheticRecallPanel extends NavigationMixin(LightningElement) {
  @api recordId;

  record;
  error;
  busy = false;
  pollHandle;
  undoId;
  wiredUndo;

  labels = {
    title: TITLE,
    approve: APPROVE,
    cancel: CANCEL,
    requestUndo: REQUEST_UNDO,
    refresh: REFRESH,
    failures: FAILURES,
    undoOf: UNDO_OF,
    loading: LOADING,
    progress: PROGRESS,
    requestedBy: REQUESTED_BY_LABEL,
    approvedBy: APPROVED_BY_LABEL
  };

  @wire(getRecord, { recordId: '$recordId', fields: FIELDS, optionalFields: PEOPLE })
  wiredRecord({ data, error }) {
    this.record = data;
    this.error = error;
    this.schedulePoll();
  }

  @wire(undoOf, { recallId: '$recordId' })
  wiredUndoOf(result) {
    this.wiredUndo = result;
    this.undoId = result.data ?? undefined;
  }

  disconnectedCallback() {
    this.stopPolling();
  }

  get loading() {
    return !this.record && !this.error;
  }

  get errorMessage() {
    return format(LOAD_ERROR, messageOf(this.error));
  }

  value(field) {
    return this.record ? getFieldValue(this.record, field) : undefined;
  }

  get name() {
    return this.value(NAME);
  }

  get state() {
    return this.value(STATE);
  }

  get isRequested() {
    return this.state === 'Requested';
  }

  get isCancelled() {
    return this.state === 'Cancelled';
  }

  get isWorking() {
    return this.state === 'Approved' || this.state === 'Running';
  }

  get isDone() {
    return DONE_STATES.includes(this.state);
  }

  get isRequester() {
    return this.value(REQUESTED_BY) === userId;
  }

  get canApprove() {
    return this.isRequested && Boolean(canReview) && !this.isRequester;
  }

  get isDryRun() {
    return this.state === 'Dry Run';
  }

  get dryRunMessage() {
    return DRY_RUN;
  }

  // The same rules the server enforces: the permission to request, an undoable action and state,
  // and no undo requested yet.
  get canUndo() {
    return (
      Boolean(canRequest) &&
      UNDOABLE_STATES.includes(this.state) &&
      UNDOABLE_ACTIONS.includes(this.value(ACTION)) &&
      !this.undoId
    );
  }

  get undoRequested() {
    return Boolean(this.undoId);
  }

  get undoRequestedMessage() {
    return UNDO_REQUESTED;
  }

  get waitingMessage() {
    return this.isRequester ? WAITING_REQUESTER : WAITING;
  }

  get runningMessage() {
    return RUNNING;
  }

  get cancelledMessage() {
    return WAS_CANCELLED;
  }

  get isUndo() {
    return Boolean(this.value(UNDOES));
  }

  get currentStep() {
    return this.isDone ? 'Done' : this.state;
  }

  get steps() {
    const labels = [STEP_REQUESTED, STEP_APPROVED, STEP_RUNNING, STEP_DONE];
    return STEPS.map((value, i) => ({
      value,
      label: i === 3 && this.isDone ? this.stateLabel : labels[i]
    }));
  }

  get cardIcon() {
    return CARD_ICONS.recallPanel;
  }

  get actionLabel() {
    return (this.record && getFieldDisplayValue(this.record, ACTION)) || this.value(ACTION);
  }

  // The picklist label in the user's language, as Lightning Data Service gives it.
  get stateLabel() {
    return (this.record && getFieldDisplayValue(this.record, STATE)) || this.state;
  }

  get counts() {
    return [
      [PLANNED, PLANNED_LABEL],
      [APPLIED, APPLIED_LABEL],
      [FAILED, FAILED_LABEL],
      [SKIPPED, SKIPPED_LABEL]
    ].map(([field, label]) => ({
      key: field.fieldApiName,
      label,
      value: count(this.value(field))
    }));
  }

  get requesterName() {
    return this.value(REQUESTER_NAME) ?? NOT_YET;
  }

  get approverName() {
    return this.value(APPROVER_NAME) ?? NOT_YET;
  }

  get finishedMessage() {
    return format(
      FINISHED,
      formatNumber(this.value(APPLIED) ?? 0),
      formatNumber(this.value(FAILED) ?? 0),
      formatNumber(this.value(SKIPPED) ?? 0)
    );
  }

  get resultTheme() {
    const theme = { Applied: 'success', 'Partially Applied': 'warning', Failed: 'error' };
    return `slds-scoped-notification slds-media slds-media_center slds-theme_${theme[this.state] ?? 'info'}`;
  }

  // failedRecords name each record (with a link); older summaries only have "Id: message" text.
  get firstFailures() {
    try {
      const summary = JSON.parse(this.value(RESULT_SUMMARY) || '{}');
      if (Array.isArray(summary.failedRecords) && summary.failedRecords.length) {
        return summary.failedRecords.map((failure, i) => ({
          key: `failure-${i}`,
          url: failure.recordId ? `/${failure.recordId}` : undefined,
          name: failure.name || failure.recordId,
          text: failure.message ?? ''
        }));
      }
      return (summary.failures ?? []).map((text, i) => ({ key: `failure-${i}`, text }));
    } catch {
      return [];
    }
  }

  get hasFailures() {
    return this.firstFailures.length > 0;
  }

  // A finished run's failures, and a dry run's too (Dry Run is a done state): one that stopped
  // short says why its counts are short.
  get showsFailures() {
    return this.isDone && this.hasFailures;
  }

  schedulePoll() {
    if (this.isWorking && !this.pollHandle) {
      // eslint-disable-next-line @lwc/lwc/no-async-operation -- the batch runs asynchronously; LDS does not push its changes.
      this.pollHandle = setInterval(() => this.refresh(), POLL_MS);
    } else if (!this.isWorking) this.stopPolling();
  }

  stopPolling() {
    if (this.pollHandle) {
      clearInterval(this.pollHandle);
      this.pollHandle = undefined;
    }
  }

  refresh() {
    return Promise.all([
      notifyRecordUpdateAvailable([{ recordId: this.recordId }]),
      this.wiredUndo ? refreshApex(this.wiredUndo) : undefined
    ]);
  }

  async handleApprove() {
    const planned = this.value(PLANNED) ?? 0;
    const confirmed = await LightningConfirm.open({
      // The action by its picklist label (never the API value), the count with its plural.
      message: format(
        plural(planned, CONFIRM_APPROVE_ONE, CONFIRM_APPROVE_MANY),
        this.name,
        this.actionLabel,
        formatNumber(planned)
      ),
      label: APPROVE,
      theme: 'warning'
    });
    if (!confirmed) return;
    await this.run(
      () => approve({ recallId: this.recordId }),
      format(APPROVED_TOAST, this.name),
      'success'
    );
  }

  handleCancel() {
    return this.run(
      () => cancel({ recallId: this.recordId }),
      format(CANCELLED_TOAST, this.name),
      'info'
    );
  }

  async handleRequestUndo() {
    const undoId = await this.run(
      () => requestUndo({ recallId: this.recordId }),
      UNDO_REQUESTED_TOAST,
      'success'
    );
    if (undoId)
      this[NavigationMixin.Navigate]({
        type: 'standard__recordPage',
        attributes: { recordId: undoId, objectApiName: 'Synthetic_Recall__c', actionName: 'view' }
      });
  }

  handleRefresh() {
    return this.refresh();
  }

  async run(call, message, variant) {
    this.busy = true;
    try {
      const result = await call();
      this.toast(message, variant);
      await this.refresh();
      return result;
    } catch (error) {
      this.toast(format(ACTION_ERROR, messageOf(error)), 'error');
      return undefined;
    } finally {
      this.busy = false;
    }
  }

  toast(message, variant) {
    this.dispatchEvent(new ShowToastEvent({ title: this.name, message, variant }));
  }
}
