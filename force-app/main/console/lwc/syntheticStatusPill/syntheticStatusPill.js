import { LightningElement, api } from 'lwc';
import { statusDisplay } from 'c/syntheticDisplay';

/**
 * A review state as the badge shows it (its colour, its icon and its label, the stored value in
 * the tooltip), for lists such as the review queue.
 */
export default class SyntheticStatusPill extends LightningElement {
  /** Synthetic_Status__c. */
  @api status;

  get display() {
    return statusDisplay(this.status);
  }

  get pillClass() {
    return `slds-badge ${this.display.theme}`;
  }

  get iconVariant() {
    return this.display.inverse ? 'inverse' : undefined;
  }
}
