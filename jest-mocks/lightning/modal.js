// lightning/modal for the LWC tests: sfdx-lwc-jest ships stubs for lightning-modal-header, -body
// and -footer but none for the LightningModal base class. This one renders the subclass as a
// plain component, records close(result) as a `close` event, and makes the static open() a mock
// (a subclass inherits it) that tests answer with what the user would have chosen.
import { LightningElement } from 'lwc';

export default class LightningModal extends LightningElement {
  close(result) {
    this.dispatchEvent(new CustomEvent('close', { detail: result }));
  }
}

LightningModal.open = jest.fn(() => Promise.resolve(undefined));
