import { RrrError } from '@rrr/core';

/**
 * A file that cannot be read as market data as a whole (empty, not UTF-8 text, cut short, missing columns), as
 * opposed to one bad row in it. The message starts with the file and, when known, the line: `x.csv: line 7: …`.
 */
export class DataFileError extends RrrError {
  readonly file: string;
  readonly line: number | undefined;

  constructor(file: string, problem: string, line?: number, details?: Record<string, unknown>) {
    super('DATA_INVALID', `${file}: ${line === undefined ? '' : `line ${line}: `}${problem}`, {
      details: { file, ...(line === undefined ? {} : { line }), problem, ...details },
    });
    this.file = file;
    this.line = line;
  }
}
