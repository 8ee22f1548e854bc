// Preview stand-in for lightning/navigation: navigation is logged, the page stays.
const Navigate = Symbol('Navigate');

export const NavigationMixin = (Base) =>
  class extends Base {
    [Navigate](pageReference) {
      console.info('navigate', JSON.stringify(pageReference));
    }
  };
NavigationMixin.Navigate = Navigate;
