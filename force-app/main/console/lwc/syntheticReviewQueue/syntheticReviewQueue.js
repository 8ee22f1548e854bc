import { LightningElement, api, wire } from 'lwc';
import { CurrentPageReference } from 'lightning/navigation';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import { notifyRecordUpdateAvailable } from 'lightning/uiRecordApi';
import SyntheticReasonModal from 'c/syntheticReasonModal';
import getQueue from '@salesforce/apex/SyntheticReviewController.getQueue';
import getQueueRecord from '@salesforce/apex/SyntheticReviewController.getQueueRecord';
import getGovernedObjects from '@salesforce/apex/SyntheticReviewController.getGovernedObjects';
import review from '@salesforce/apex/SyntheticReviewController.review';
import canReview from '@salesforce/customPermission/Review_Synthetic_Data';
import TITLE from '@salesforce/label/c.SDG_Queue_Title';
import OBJECT from '@salesforce/label/c.SDG_Queue_Object';
import STATUS from '@salesforce/label/c.SDG_Queue_Status';
import ALL_STATUSES from '@salesforce/label/c.SDG_Queue_All_Statuses';
import COL_RECORD from '@salesforce/label/c.SDG_Queue_Col_Record';
import COL_STATUS from '@salesforce/label/c.SDG_Queue_Col_Status';
import COL_MODEL from '@salesforce/label/c.SDG_Queue_Col_Model';
import COL_SOURCE from '@salesforce/label/c.SDG_Queue_Col_Source';
import COL_REASONS from '@salesforce/label/c.SDG_Queue_Col_Reasons';
import COL_CONFIDENCE from '@salesforce/label/c.SDG_Queue_Col_Confidence';
import COL_RECEIVED from '@salesforce/label/c.SDG_Queue_Col_Received';
import LOAD_MORE from '@salesforce/label/c.SDG_Queue_Load_More';
import LOADING from '@salesforce/label/c.SDG_Queue_Loading';
import LOAD_ERROR from '@salesforce/label/c.SDG_Queue_Load_Error';
import SELECTED from '@salesforce/label/c.SDG_Queue_Selected';
import SAVED from '@salesforce/label/c.SDG_Queue_Saved';
import READ_ONLY from '@salesforce/label/c.SDG_Queue_Read_Only';
import EMPTY from '@salesforce/label/c.SDG_Review_Empty_Queue';
import RELEASE from '@salesforce/label/c.SDG_Review_Release';
import CONFIRM from '@salesforce/label/c.SDG_Review_Confirm';
import REJECT from '@salesforce/label/c.SDG_Review_Reject';
import FOCUSED from '@salesforce/label/c.SDG_Queue_Focused';
import SHOW_ALL from '@salesforce/label/c.SDG_Queue_Show_All';
import NOT_WAITING from '@salesforce/label/c.SDG_Queue_Not_Waiting';
import REASON from '@salesforce/label/c.SDG_Queue_Reason';
import ALL_REASONS from '@salesforce/label/c.SDG_Queue_All_Reasons';
import OBJECTS_LOADING from '@salesforce/label/c.SDG_Queue_Objects_Loading';
import OBJECTS_ERROR from '@salesforce/label/c.SDG_Queue_Objects_Error';
import NO_OBJECTS from '@salesforce/label/c.SDG_Queue_No_Objects';
import {
  STATUSES,
  DATE_TIME,
  PERCENT_DIGITS,
  CARD_ICONS,
  confidenceFraction,
  format,
  formatNumber,
  REASON_CODES,
  reasonLabel
} from 'c/syntheticDisplay';

// The package's own objects: the queue may open on one of them before the governed objects arrive
// from Apex (which adds those policy records govern and drops those the user cannot read). They
// are never offered in the picker: only Apex's list carries the labels users read.
const SHIPPED_OBJECTS = ['Lead', 'Contact', 'Account', 'Case', 'Opportunity'];
// The order and variants every review surface uses: the safe decision first, the destructive
// one last and red.
const ACTIONS = { release: RELEASE, confirm: CONFIRM, reject: REJECT };
const ACTION_ICONS = {
  release: 'utility:check',
  confirm: 'utility:einstein',
  reject: 'utility:ban'
};
/** The most records one decision call takes (SyntheticReviewController.MAX_PAGE_SIZE). */
export const MAX_PER_CALL = 200;

const chunks = (ids, size) =>
  Array.from({ length: Math.ceil(ids.length / size) }, (_, i) =>
    ids.slice(i * size, (i + 1) * size)
  );

/**
 * The reviewers' queue: quarantined and flagged records of one governed object a page at a time,
 * links that open the record (a console tab in console apps), and release / confirm / reject for
 * the selected records with a required reason. Reviewing is hidden, not just refused, for users
 * without the Review_Synthetic_Data custom permission; the server checks it again. Opened with
 * c__recordId in the page state (an alert's "review record" link), it shows just that record,
 * selected, until the reviewer asks for the whole queue.
 */
export default class SyntheticReviewQueue extends LightningElement {
  /** App Builder: the object shown first. */
  @api defaultObject = 'Lead';
  /** App Builder: rows per page (1-200). */
  @api pageSize = 50;

  objectApiName;
  status = '';
  /** The reason code the queue is filtered on, or '' for every reason. */
  reasonCode = '';
  rows = [];
  hasMore = false;
  lastId = null;
  loading = true;
  error;
  selectedIds = [];
  busy = false;
  failures = [];
  /**
   * Governed objects the user may read, with their labels: { apiName, label }. Empty until Apex
   * answers: the picker waits (disabled, saying it is loading) rather than show API names.
   */
  governedObjects = [];
  /** Whether getGovernedObjects has answered (with data or an error). */
  objectsAnswered = false;
  objectsError;
  // An object asked for that is not known to be governed yet: taken if the list from Apex has it.
  pendingObject = null;
  /** The one record shown when opened from an alert, or null for the whole queue. */
  focusId = null;
  // Each load's number: a slower, older response (the whole queue asked for on connect) must
  // not land on top of the focused record asked for when the page state arrived.
  loadSeq = 0;

  labels = {
    title: TITLE,
    object: OBJECT,
    status: STATUS,
    reason: REASON,
    loadMore: LOAD_MORE,
    loading: LOADING,
    loadError: LOAD_ERROR,
    readOnly: READ_ONLY,
    focused: FOCUSED,
    showAll: SHOW_ALL
  };

  columns = [
    {
      label: COL_RECORD,
      fieldName: 'url',
      type: 'url',
      typeAttributes: { label: { fieldName: 'name' }, target: '_self' }
    },
    // Status and reasons: the badge's colour, icon and label, and each reason's label with its
    // code in the tooltip (syntheticQueueTable's own cell types).
    { label: COL_STATUS, fieldName: 'status', type: 'status', initialWidth: 170 },
    { label: COL_MODEL, fieldName: 'aiModel' },
    { label: COL_SOURCE, fieldName: 'source' },
    { label: COL_REASONS, fieldName: 'reasons', type: 'reasons', wrapText: true },
    {
      label: COL_CONFIDENCE,
      fieldName: 'confidenceFraction',
      type: 'percent',
      typeAttributes: { ...PERCENT_DIGITS }
    },
    {
      label: COL_RECEIVED,
      fieldName: 'createdDate',
      type: 'date',
      typeAttributes: { ...DATE_TIME }
    }
  ];

  connectedCallback() {
    this.pendingObject = this.defaultObject;
    this.objectApiName = SHIPPED_OBJECTS.includes(this.defaultObject) ? this.defaultObject : 'Lead';
    this.reload();
  }

  // The governed objects from configuration, labelled in the user's language (and as the admin
  // renamed them) by describe. An object asked for before they arrived (App Builder's default, an
  // alert's c__object) is taken once it is known to be governed; one that is not falls back.
  @wire(getGovernedObjects)
  wiredGovernedObjects({ data, error }) {
    if (!data && !error) return;
    this.objectsAnswered = true;
    this.objectsError = error;
    this.governedObjects = data ?? [];
    // Nothing the user may read (or no answer): the queue stays on the object it opened with.
    if (!this.governedObjects.length) return;
    const wanted = [this.pendingObject, this.objectApiName].find((name) => this.isGoverned(name));
    this.pendingObject = null;
    const chosen = wanted ?? this.governedObjects[0].apiName;
    if (chosen === this.objectApiName) return;
    this.objectApiName = chosen;
    if (!this.focusId) this.reload();
  }

  isGoverned(objectApiName) {
    return this.governedObjects.some(({ apiName }) => apiName === objectApiName);
  }

  @wire(CurrentPageReference)
  setPageReference(pageReference) {
    const state = pageReference?.state ?? {};
    const focusId = state.c__recordId || null;
    if (focusId === this.focusId) return;
    this.focusId = focusId;
    const wanted = state.c__object;
    // Before the list arrives, a shipped object is taken at once, as the App Builder default is.
    const early = !this.objectsAnswered && SHIPPED_OBJECTS.includes(wanted);
    if (this.isGoverned(wanted) || early) this.objectApiName = wanted;
    if (wanted && !this.isGoverned(wanted)) this.pendingObject = wanted;
    this.reload();
  }

  get cardIcon() {
    return CARD_ICONS.reviewQueue;
  }

  get canReview() {
    return Boolean(canReview);
  }

  get readOnly() {
    return !this.canReview;
  }

  get objectOptions() {
    return this.governedObjects.map(({ apiName, label }) => ({ label, value: apiName }));
  }

  /** The picker's value only once it has labelled options: never an API name on its own. */
  get objectValue() {
    return this.governedObjects.length ? this.objectApiName : null;
  }

  get objectsPending() {
    return this.governedObjects.length === 0;
  }

  get objectPlaceholder() {
    if (!this.objectsAnswered) return OBJECTS_LOADING;
    return this.objectsError ? OBJECTS_ERROR : NO_OBJECTS;
  }

  /** Why the picker stays empty once Apex has answered; nothing while loading or once filled. */
  get objectsNotice() {
    if (!this.objectsAnswered || this.governedObjects.length) return '';
    return this.objectsError ? OBJECTS_ERROR : NO_OBJECTS;
  }

  get objectsNoticeClass() {
    return this.objectsError
      ? 'slds-form-element__help slds-text-color_error'
      : 'slds-form-element__help';
  }

  get statusOptions() {
    return [
      { label: ALL_STATUSES, value: '' },
      { label: STATUSES.Quarantined.label, value: 'Quarantined' },
      { label: STATUSES.Flagged.label, value: 'Flagged' }
    ];
  }

  // Reasons by their labels (the code is the value sent, never shown).
  get reasonOptions() {
    return [
      { label: ALL_REASONS, value: '' },
      ...REASON_CODES.map((code) => ({ label: reasonLabel(code).label, value: code }))
    ];
  }

  get isEmpty() {
    return !this.loading && !this.error && this.rows.length === 0;
  }

  get emptyText() {
    return this.focusId ? NOT_WAITING : EMPTY;
  }

  get hasRows() {
    return this.rows.length > 0;
  }

  get noSelection() {
    return this.selectedIds.length === 0 || this.busy;
  }

  get selectedText() {
    return format(SELECTED, formatNumber(this.selectedIds.length));
  }

  get actions() {
    return Object.entries(ACTIONS).map(([name, label]) => ({
      name,
      label,
      variant: name === 'reject' ? 'destructive' : 'neutral',
      icon: ACTION_ICONS[name]
    }));
  }

  get errorText() {
    return this.error?.body?.message ?? this.labels.loadError;
  }

  get size() {
    const n = Number(this.pageSize);
    return Number.isInteger(n) && n > 0 ? Math.min(n, 200) : 50;
  }

  async reload() {
    this.rows = [];
    this.lastId = null;
    this.selectedIds = [];
    await this.loadPage();
    if (this.focusId) this.selectedIds = this.rows.map((row) => row.recordId);
  }

  async loadPage() {
    const seq = ++this.loadSeq;
    this.loading = true;
    this.error = undefined;
    try {
      const page = this.focusId
        ? await getQueueRecord({ recordId: this.focusId })
        : await getQueue({
            objectApiName: this.objectApiName,
            status: this.status,
            afterId: this.lastId,
            pageSize: this.size,
            // Sent only when chosen: every reason is the server's default.
            ...(this.reasonCode ? { reasonCode: this.reasonCode } : {})
          });
      if (seq !== this.loadSeq) return;
      this.rows = [
        ...this.rows,
        ...page.rows.map((row) => ({
          ...row,
          url: `/${row.recordId}`,
          confidenceFraction: confidenceFraction(row.confidence)
        }))
      ];
      this.hasMore = page.hasMore;
      this.lastId = page.lastId;
    } catch (error) {
      if (seq === this.loadSeq) this.error = error;
    } finally {
      if (seq === this.loadSeq) this.loading = false;
    }
  }

  handleObjectChange(event) {
    this.objectApiName = event.detail.value;
    this.focusId = null;
    this.reload();
  }

  handleStatusChange(event) {
    this.status = event.detail.value;
    this.focusId = null;
    this.reload();
  }

  handleReasonChange(event) {
    this.reasonCode = event.detail.value;
    this.focusId = null;
    this.reload();
  }

  handleShowAll() {
    this.focusId = null;
    this.reload();
  }

  handleLoadMore() {
    this.loadPage();
  }

  handleSelection(event) {
    this.selectedIds = event.detail.selectedRows.map((row) => row.recordId);
  }

  async handleAction(event) {
    const action = event.target.dataset.action;
    const reason = await SyntheticReasonModal.open({
      size: 'small',
      label: ACTIONS[action],
      heading: ACTIONS[action],
      summary: this.selectedText
    });
    if (reason) await this.decide(action, reason);
  }

  // Select-all after "Load more" can hold more than one call takes: decide in chunks of 200, one
  // after the other, and report them together. A chunk that fails does not undo the chunks before
  // that one (each call is its own transaction): those decisions are reported before the error.
  async decide(action, reason) {
    const names = new Map(this.rows.map((row) => [row.recordId, row.name]));
    const results = [];
    this.busy = true;
    try {
      for (const recordIds of chunks(this.selectedIds, MAX_PER_CALL)) {
        // eslint-disable-next-line no-await-in-loop -- sequential on purpose: each call is a transaction of up to 200 records.
        results.push(...(await review({ recordIds, action, reason })));
      }
      await this.report(action, results, names);
    } catch (error) {
      if (results.length) await this.reportQuietly(action, results, names);
      this.error = error;
    } finally {
      this.busy = false;
    }
  }

  async report(action, results, names) {
    const failed = results.filter((r) => !r.success);
    this.failures = failed.map((r) => ({
      id: r.recordId,
      name: names.get(r.recordId) ?? r.recordId,
      message: r.message
    }));
    const saved = results.filter((r) => r.success).map((r) => ({ recordId: r.recordId }));
    // Badges and record pages open in other console tabs read these records through LDS.
    if (saved.length) await notifyRecordUpdateAvailable(saved);
    this.dispatchEvent(
      new ShowToastEvent({
        title: ACTIONS[action],
        message: format(SAVED, formatNumber(saved.length), formatNumber(failed.length)),
        variant: failed.length ? 'warning' : 'success'
      })
    );
    await this.reload();
  }

  // The partial report after a failed chunk: its own failure must not hide the chunk's error.
  async reportQuietly(action, results, names) {
    try {
      await this.report(action, results, names);
    } catch {
      // The error shown is the chunk's; the reload is retried by the user.
    }
  }
}
