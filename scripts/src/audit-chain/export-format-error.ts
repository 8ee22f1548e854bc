/** Input that cannot be read as an export: the CLI exits 2 with this message. */
export class ExportFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportFormatError';
  }
}
