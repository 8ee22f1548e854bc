// Preview stand-in for lightning/uiObjectInfoApi: getObjectInfos answers each object with its API
// name as its label (the governed objects' standard labels are the same words).
export class getObjectInfos {
  constructor(dataCallback) {
    this.dataCallback = dataCallback;
  }

  connect() {}

  disconnect() {}

  update(config) {
    const results = (config.objectApiNames ?? []).map((apiName) => ({
      statusCode: 200,
      result: { apiName, label: String(apiName) }
    }));
    this.dataCallback({ data: { results }, error: undefined });
  }
}
