import { api } from 'lwc';
import LightningModal from 'lightning/modal';
import REASON from '@salesforce/label/c.SDG_Queue_Reason';
import CANCEL from '@salesforce/label/c.SDG_Queue_Cancel';
import SUBMIT from '@salesforce/label/c.SDG_Queue_Submit';
import REASON_REQUIRED from '@salesforce/label/c.SDG_Review_Reason_Required';

/**
 * Asks a reviewer why (required) before a release, confirm or reject. A LightningModal, so the
 * platform moves focus into the dialog, traps it there, closes it on Escape and gives focus back
 * to the button that opened it. Resolves open() with the trimmed reason, or undefined when the
 * reviewer cancels or dismisses it.
 */
export default class SyntheticReasonModal extends LightningModal {
  /** The decision, e.g. "Release". */
  @api heading;
  /** What it applies to, e.g. "3 selected". */
  @api summary;

  reason = '';

  labels = { reason: REASON, cancel: CANCEL, submit: SUBMIT, reasonRequired: REASON_REQUIRED };

  handleReason(event) {
    this.reason = event.detail.value ?? '';
    const input = this.template.querySelector('lightning-textarea');
    input.setCustomValidity('');
  }

  handleCancel() {
    this.close(undefined);
  }

  handleSubmit() {
    const input = this.template.querySelector('lightning-textarea');
    if (!this.reason.trim()) {
      input.setCustomValidity(REASON_REQUIRED);
      input.reportValidity();
      return;
    }
    this.close(this.reason.trim());
  }
}
