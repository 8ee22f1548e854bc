// Preview stand-in for @salesforce/apex: the fixtures never change, so a refresh has nothing to do.
export function refreshApex() {
  return Promise.resolve();
}
