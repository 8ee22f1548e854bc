// Preview stand-in for lightning/platformShowToastEvent: the same event the platform listens for.
export class ShowToastEvent extends CustomEvent {
  constructor(toast) {
    super('lightning__showtoast', {
      composed: true,
      bubbles: true,
      cancelable: true,
      detail: toast
    });
  }
}
