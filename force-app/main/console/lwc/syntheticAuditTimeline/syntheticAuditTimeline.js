import { LightningElement, api, wire } from 'lwc';
import { getRecord, getFieldValue } from 'lightning/uiRecordApi';
import { refreshApex } from '@salesforce/apex';
import getTimeline from '@salesforce/apex/SyntheticAuditTimelineController.getTimeline';
import REFRESH from '@salesforce/label/c.SDG_Timeline_Refresh';
import TITLE from '@salesforce/label/c.SDG_Timeline_Title';
import EMPTY from '@salesforce/label/c.SDG_Timeline_Empty';
import LOADING from '@salesforce/label/c.SDG_Timeline_Loading';
import LOAD_ERROR from '@salesforce/label/c.SDG_Timeline_Load_Error';
import PARTIAL from '@salesforce/label/c.SDG_Timeline_Unverifiable';
import TAMPERED from '@salesforce/label/c.SDG_Timeline_Event_Tampered';
import BY from '@salesforce/label/c.SDG_Timeline_By';
import INTACT from '@salesforce/label/c.SDG_Audit_Chain_Intact';
import BROKEN from '@salesforce/label/c.SDG_Audit_Chain_Broken';
import DECISION from '@salesforce/label/c.SDG_Timeline_Decision';
import { CARD_ICONS, DATE_TIME, decisionLabel, eventTypeLabel, format } from 'c/syntheticDisplay';

// Icon and colour by event type, the badge's for the same state; the title beside it always
// names the type in words.
const ICONS = {
  Quarantine: { icon: 'utility:lock', variant: 'error' },
  Release: { icon: 'utility:check', variant: 'success' },
  Reject: { icon: 'utility:ban', variant: undefined },
  Confirm: { icon: 'utility:einstein', variant: undefined },
  Bypass: { icon: 'utility:warning', variant: 'warning' },
  Decision: { icon: 'utility:rules', variant: undefined }
};
const OTHER = { icon: 'utility:record', variant: undefined };

/**
 * After the record changes, when to look again (ms): the audit event is appended by an
 * asynchronous subscriber, usually a moment after the change itself is visible.
 */
export const FOLLOW_UPS_MS = [0, 3000, 10000];

const CHAIN = {
  INTACT: { text: INTACT, icon: 'utility:success', variant: 'success' },
  PARTIAL: { text: PARTIAL, icon: 'utility:info', variant: undefined },
  BROKEN: { text: BROKEN, icon: 'utility:error', variant: 'error' }
};

/**
 * The audit trail of the record on the page, newest first: decision, reasons, actor and time of
 * each event, and whether this part of the hash chain still verifies. getTimeline is a cacheable
 * wire, so it is refreshed with refreshApex: when Lightning Data Service reports the record
 * changed (an edit, a review in the queue, a recall: they call notifyRecordUpdateAvailable), a few
 * times after that while the subscriber appends the event, and on the refresh button.
 */
export default class SyntheticAuditTimeline extends LightningElement {
  @api recordId;
  @api objectApiName;
  /** App Builder: how many events to show (1-200). */
  @api rowLimit = 20;

  timeline;
  error;
  wiredResult;
  lastModstamp;
  timers = [];

  labels = {
    title: TITLE,
    empty: EMPTY,
    loading: LOADING,
    loadError: LOAD_ERROR,
    refresh: REFRESH
  };

  @wire(getTimeline, { recordId: '$recordId', rowLimit: '$rowLimit' })
  wiredTimeline(result) {
    this.wiredResult = result;
    this.timeline = result.data;
    this.error = result.error;
  }

  get modstampField() {
    return this.objectApiName ? [`${this.objectApiName}.SystemModstamp`] : undefined;
  }

  @wire(getRecord, { recordId: '$recordId', optionalFields: '$modstampField' })
  wiredRecord({ data }) {
    if (!data) return;
    const modstamp = getFieldValue(data, this.modstampField[0]);
    const changed = this.lastModstamp !== undefined && modstamp !== this.lastModstamp;
    this.lastModstamp = modstamp;
    if (changed) this.followUp();
  }

  disconnectedCallback() {
    this.clearTimers();
  }

  followUp() {
    this.clearTimers();
    this.timers = FOLLOW_UPS_MS.map((delay) =>
      // eslint-disable-next-line @lwc/lwc/no-async-operation -- the audit event is appended asynchronously after the change.
      setTimeout(() => this.refresh(), delay)
    );
  }

  clearTimers() {
    this.timers.forEach((timer) => clearTimeout(timer));
    this.timers = [];
  }

  refresh() {
    return this.wiredResult ? refreshApex(this.wiredResult) : Promise.resolve();
  }

  handleRefresh() {
    return this.refresh();
  }

  get loading() {
    return !this.timeline && !this.error;
  }

  get isEmpty() {
    return this.timeline?.events.length === 0;
  }

  get hasEvents() {
    return this.timeline?.events.length > 0;
  }

  get chain() {
    const state = CHAIN[this.timeline.chainState] ?? CHAIN.BROKEN;
    return { ...state, text: format(state.text, this.timeline.brokenAt ?? '') };
  }

  get cardIcon() {
    return CARD_ICONS.auditTimeline;
  }

  get dateTime() {
    return DATE_TIME;
  }

  // Event types and decisions by their labels, the stored codes in the tooltips.
  get events() {
    return this.timeline.events.map((event) => {
      const type = eventTypeLabel(event.eventType);
      const decision = event.decision ? decisionLabel(event.decision) : null;
      return {
        ...event,
        ...(ICONS[event.eventType] ?? OTHER),
        key: String(event.sequence),
        // A sequence number is an identifier, as verify-chain prints it: no digit grouping.
        sequenceText: String(event.sequence),
        title: type.label,
        typeCode: type.code,
        decisionText: decision ? format(DECISION, decision.label) : '',
        decisionCode: decision?.code,
        actorText: event.actor ? format(BY, event.actor) : '',
        tampered: event.hashVerified === false || event.linkVerified === false,
        tamperedText: TAMPERED
      };
    });
  }
}
