// Preview stand-in for lightning/uiRecordApi: getRecord answers from the scene's fixture
// records, in the shape Lightning Data Service returns ({ fields: { Name: { value,
// displayValue } } }), so the component code runs unchanged.
import { records } from '../app/fixtures';

export class getRecord {
  constructor(dataCallback) {
    this.dataCallback = dataCallback;
  }

  connect() {}

  disconnect() {}

  update(config) {
    const record = records[config.recordId];
    this.dataCallback(
      record
        ? { data: record, error: undefined }
        : { data: undefined, error: { body: { message: `No fixture record ${config.recordId}` } } }
    );
  }
}

// A field reference is 'Object.Field' or a schema import ({ objectApiName, fieldApiName });
// 'Lookup__r.Name' walks into the related record, as LDS nests it.
function field(record, reference) {
  const path =
    typeof reference === 'object'
      ? reference.fieldApiName.split('.')
      : String(reference).split('.').slice(1);
  let node = record;
  for (const [i, name] of path.entries()) {
    const entry = node?.fields?.[name];
    if (i === path.length - 1) return entry;
    node = entry?.value;
  }
  return undefined;
}

export function getFieldValue(record, qualifiedName) {
  return field(record, qualifiedName)?.value;
}

export function getFieldDisplayValue(record, qualifiedName) {
  return field(record, qualifiedName)?.displayValue ?? null;
}

export function notifyRecordUpdateAvailable() {
  return Promise.resolve();
}
