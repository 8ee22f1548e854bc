import { LightningElement, api, wire } from 'lwc';
import { getRecord, getFieldValue, getFieldDisplayValue } from 'lightning/uiRecordApi';
import AI_GENERATED from '@salesforce/label/c.SDG_Badge_AI_Generated';
import DISCLOSED from '@salesforce/label/c.SDG_Badge_Disclosed';
import UNREVIEWED from '@salesforce/label/c.SDG_Badge_Unreviewed';
import FLAGGED from '@salesforce/label/c.SDG_Badge_Flagged';
import QUARANTINED from '@salesforce/label/c.SDG_Badge_Quarantined';
import RELEASED from '@salesforce/label/c.SDG_Badge_Released';
import REJECTED from '@salesforce/label/c.SDG_Badge_Rejected';
import DETAILS from '@salesforce/label/c.SDG_Badge_Details';
import MODEL from '@salesforce/label/c.SDG_Badge_Model';
import GENERATED_AT from '@salesforce/label/c.SDG_Badge_Generated_At';
import METHOD from '@salesforce/label/c.SDG_Badge_Method';
import SOURCE from '@salesforce/label/c.SDG_Badge_Source';
import CONFIDENCE from '@salesforce/label/c.SDG_Badge_Confidence';
import REASONS from '@salesforce/label/c.SDG_Badge_Reasons';
import NOT_GIVEN from '@salesforce/label/c.SDG_Badge_Not_Given';
import LOADING from '@salesforce/label/c.SDG_Badge_Loading';
import LOAD_ERROR from '@salesforce/label/c.SDG_Badge_Load_Error';

// Provenance fields carry the same API names on every governed object, so one component serves
// them all: the field references are built from the record page's object.
const FIELDS = {
  synthetic: 'Synthetic_Data__c',
  status: 'Synthetic_Status__c',
  model: 'AI_Model__c',
  generatedAt: 'Generated_At__c',
  method: 'Generation_Method__c',
  source: 'Provenance_Source__c',
  confidence: 'Synthetic_Confidence__c',
  reasons: 'Synthetic_Reasons__c'
};

// Icon and text together: colour is never the only signal.
const STATES = {
  Quarantined: { label: QUARANTINED, icon: 'utility:lock', theme: 'slds-theme_warning' },
  Rejected: { label: REJECTED, icon: 'utility:ban', theme: 'slds-theme_error' },
  Flagged: { label: FLAGGED, icon: 'utility:priority', theme: 'slds-theme_warning' },
  Released: { label: RELEASED, icon: 'utility:check', theme: 'slds-theme_success' },
  Disclosed: { label: DISCLOSED, icon: 'utility:einstein', theme: 'slds-badge_inverse' },
  Unreviewed: { label: UNREVIEWED, icon: 'utility:einstein', theme: 'slds-badge_inverse' },
  Synthetic: { label: AI_GENERATED, icon: 'utility:einstein', theme: 'slds-badge_inverse' }
};

let instances = 0;

/**
 * Shows, on any governed object's record page, whether the record is AI-generated and in which
 * review state, with the provenance behind it one click (or keypress) away. Authentic records
 * show nothing. Reads the record through Lightning Data Service, so it follows edits at once.
 */
export default class SyntheticBadge extends LightningElement {
  @api recordId;
  @api objectApiName;
  /** App Builder: show the provenance details button. */
  @api showDetails = false;
  /** App Builder: include detector confidence and reason codes in the details. */
  @api showSignals = false;

  record;
  error;
  expanded = false;
  detailsId = `sdg-badge-details-${++instances}`;

  get fields() {
    return this.objectApiName
      ? Object.values(FIELDS).map((f) => `${this.objectApiName}.${f}`)
      : undefined;
  }

  @wire(getRecord, { recordId: '$recordId', optionalFields: '$fields' })
  wiredRecord({ data, error }) {
    this.record = data;
    this.error = error;
  }

  get loading() {
    return !this.record && !this.error;
  }

  value(name) {
    return getFieldValue(this.record, `${this.objectApiName}.${FIELDS[name]}`);
  }

  display(name) {
    const field = `${this.objectApiName}.${FIELDS[name]}`;
    return getFieldDisplayValue(this.record, field) ?? getFieldValue(this.record, field);
  }

  get state() {
    if (!this.record) return null;
    const status = this.value('status');
    if (STATES[status] && status !== 'Synthetic') return STATES[status];
    return this.value('synthetic') === true ? STATES.Synthetic : null;
  }

  get visible() {
    return this.state !== null;
  }

  get badgeClass() {
    return `slds-badge ${this.state.theme}`;
  }

  // White icons on the dark, red and green badges; the warning badge has dark text.
  get iconVariant() {
    return this.state.theme === 'slds-theme_warning' ? undefined : 'inverse';
  }

  get details() {
    const rows = [
      { key: 'model', label: MODEL },
      { key: 'generatedAt', label: GENERATED_AT },
      { key: 'method', label: METHOD },
      { key: 'source', label: SOURCE }
    ];
    if (this.showSignals)
      rows.push({ key: 'confidence', label: CONFIDENCE }, { key: 'reasons', label: REASONS });
    return rows.map((row) => ({ ...row, value: this.format(row.key) }));
  }

  format(key) {
    const value = key === 'reasons' ? this.value(key) : this.display(key);
    if (value === null || value === undefined || value === '') return NOT_GIVEN;
    if (key === 'reasons') return String(value).split(';').join(', ');
    if (key === 'confidence') return `${value}%`;
    return String(value);
  }

  get ariaExpanded() {
    return String(this.expanded);
  }

  get labels() {
    return { details: DETAILS, loading: LOADING, loadError: LOAD_ERROR };
  }

  toggle() {
    this.expanded = !this.expanded;
  }

  handleKeydown(event) {
    if (event.key === 'Escape' && this.expanded) {
      this.expanded = false;
      this.template.querySelector('button')?.focus();
    }
  }
}
