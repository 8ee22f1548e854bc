// Preview stand-in for lightning/confirm: the person previewing confirms.
export default class LightningConfirm {
  static open() {
    return Promise.resolve(true);
  }
}
