import type { Predictor } from '@rrr/trading-engine';

/**
 * A predictor that answers nothing until released: a `predictor` backtest run with it stays running (stored as
 * running, its replay waiting on the first prediction) for as long as a test needs a busy slot.
 */
export function heldPredictor(): { predict: Predictor; release: () => void } {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  return {
    predict: async () => {
      await released;
      return undefined;
    },
    release,
  };
}
