// Preview stand-in for lightning/navigation: navigation is logged, the page stays.
const Navigate = Symbol('Navigate');

export const NavigationMixin = (Base) =>
  class extends Base {
    [Navigate](pageReference) {
      console.info('navigate', JSON.stringify(pageReference));
    }
  };
NavigationMixin.Navigate = Navigate;

// The page reference: the preview is an app page opened without state, so nothing is emitted.
export class CurrentPageReference {
  constructor(dataCallback) {
    this.dataCallback = dataCallback;
  }

  connect() {}

  disconnect() {}

  update() {}
}
