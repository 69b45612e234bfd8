import { SingleBar } from 'cli-progress';

/** A progress bar on stderr for long work; silent when stderr is not a terminal (CI logs, pipes, tests). */
export interface ProgressReporter {
  update(fraction: number, label: string): void;
  stop(): void;
}

export function createProgressReporter(title: string, stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  if (!stream.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar({
    stream,
    format: `${title} [{bar}] {percentage}% {label}`,
    hideCursor: true,
    clearOnComplete: false,
  });
  bar.start(1000, 0, { label: '' });
  return {
    update: (fraction, label) => bar.update(Math.round(Math.min(1, Math.max(0, fraction)) * 1000), { label }),
    stop: () => bar.stop(),
  };
}
