/** Where a long-running job is, for a progress bar: `done` of `total` units of `phase`. */
export interface BacktestProgress {
  phase: 'load' | 'run' | 'store' | 'search' | 'split' | 'simulate' | 'sweep' | 'done';
  done: number;
  total: number;
  /** One line for a human, e.g. `split 2/5: in-sample 2004-01-02 … 2007-06-29`. */
  message: string;
}

export type BacktestProgressCallback = (progress: BacktestProgress) => void;
