import { RrrError } from '@rrr/core';

/** A model file that cannot be used: corrupt, truncated, of another format, or saved for another model shape. */
export class ModelArtifactError extends RrrError {
  readonly file: string;
  readonly problem: string;

  constructor(file: string, problem: string) {
    super('DATA_INVALID', `${file}: ${problem}`, { details: { file, problem } });
    this.file = file;
    this.problem = problem;
  }
}
