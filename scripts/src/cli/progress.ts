import { SingleBar } from 'cli-progress';

/** A progress bar for long work; silent unless stderr is a terminal (CI logs stay clean). */
export interface Progress {
  start(label: string, total: number): void;
  tick(count?: number): void;
  stop(): void;
}

/** Draws nothing: library callers and tests. */
export const SILENT_PROGRESS: Progress = { start: () => {}, tick: () => {}, stop: () => {} };

/** A bar on stderr when it is a terminal and the output is not JSON; otherwise a no-op. */
export function progressBar(json = false, stream: NodeJS.WriteStream = process.stderr): Progress {
  /* istanbul ignore next -- needs a terminal; tests run without one */
  if (!stream.isTTY || json) return SILENT_PROGRESS;
  /* istanbul ignore next */
  return barOn(stream);
}

/* istanbul ignore next -- drawn only on a terminal */
function barOn(stream: NodeJS.WriteStream): Progress {
  let bar: SingleBar | null = null;
  return {
    start(label, total) {
      bar?.stop();
      bar = new SingleBar({
        stream,
        format: `${label.padEnd(28)} [{bar}] {percentage}% | {value}/{total} | {eta_formatted} left`,
        hideCursor: true,
        clearOnComplete: false
      });
      bar.start(Math.max(total, 1), 0);
    },
    tick(count = 1) {
      bar?.increment(count);
    },
    stop() {
      bar?.stop();
      bar = null;
    }
  };
}
