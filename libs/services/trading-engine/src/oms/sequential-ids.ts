import { ValidationError } from '@rrr/core';

/** Issues order and fill ids. */
export interface IdGenerator {
  nextOrderId(): string;
  nextFillId(): string;
  /** Continues after the last ids a store has seen, so a restarted engine never reissues one. */
  resumeAfter(last: { orderId?: string; fillId?: string }): void;
}

const DIGITS = 12;
const SEQUENCE = /(\d+)/;

/**
 * Ids `<prefix>O-000000000001`, `<prefix>F-000000000001`: deterministic (a backtest replays with the same ids),
 * unique per engine across restarts (resumeAfter), and ordered as strings in issue order, so `ORDER BY id` is the
 * order in which fills were applied. One engine per store: two engines sharing a database need distinct prefixes.
 */
export function sequentialIds(prefix = ''): IdGenerator {
  if (!/^[A-Za-z0-9_.:-]{0,16}$/.test(prefix)) {
    throw new ValidationError('id generator', [
      { field: 'prefix', message: 'must be at most 16 of A-Z a-z 0-9 _ . : -', value: prefix },
    ]);
  }
  let order = 0;
  let fill = 0;
  const format = (kind: string, n: number): string => `${prefix}${kind}-${String(n).padStart(DIGITS, '0')}`;
  const parse = (id: string | undefined, kind: string): number => {
    if (id === undefined || !id.startsWith(`${prefix}${kind}-`)) return 0;
    const match = SEQUENCE.exec(id.slice(prefix.length + kind.length + 1));
    return match === null ? 0 : Number(match[1]);
  };
  return {
    nextOrderId: () => format('O', ++order),
    nextFillId: () => format('F', ++fill),
    resumeAfter(last) {
      order = Math.max(order, parse(last.orderId, 'O'));
      fill = Math.max(fill, parse(last.fillId, 'F'));
    },
  };
}
