/** A command-line mistake (bad option, missing argument): the command exits 2 with the message. */
export class UsageError extends Error {}
