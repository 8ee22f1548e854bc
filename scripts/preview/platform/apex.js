// Preview stand-in for an @salesforce/apex import: callable imperatively (a promise, like the
// platform's) and usable with @wire (callable adapters carry their adapter class on `.adapter`).
import { apexHandlers } from '../app/fixtures';

export function apexMethod(name) {
  const call = (params) =>
    Promise.resolve().then(() => {
      const handler = apexHandlers[name];
      if (!handler) throw { body: { message: `No preview fixture for ${name}` } };
      return handler(params ?? {});
    });
  call.adapter = class {
    constructor(dataCallback) {
      this.dataCallback = dataCallback;
    }

    connect() {}

    disconnect() {}

    update(config) {
      call(config).then(
        (data) => this.dataCallback({ data, error: undefined }),
        (error) => this.dataCallback({ data: undefined, error })
      );
    }
  };
  return call;
}
