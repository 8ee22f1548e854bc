// A closed Salesforce gate. The preview runs synthetic shadow, like Lightning Experience, where
// element internals (attachInternals) are unavailable; gates that need them stay closed.
export default { isOpen: () => false };
