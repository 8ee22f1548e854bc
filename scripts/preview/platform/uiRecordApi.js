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

function field(record, qualifiedName) {
  const name = String(qualifiedName).split('.').slice(1).join('.');
  return record?.fields?.[name];
}

export function getFieldValue(record, qualifiedName) {
  return field(record, qualifiedName)?.value;
}

export function getFieldDisplayValue(record, qualifiedName) {
  return field(record, qualifiedName)?.displayValue ?? null;
}
