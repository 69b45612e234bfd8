import { resolveColumns } from './column-mapping';

const base = { file: 'x.csv', line: 1, symbolGiven: true } as const;

describe('resolveColumns', () => {
  it('recognises common headers and leaves the rest unused', () => {
    const resolved = resolveColumns(['Date', 'Open', 'High', 'Low', 'Close', 'Adj Close', 'Volume'], {
      ...base,
      kind: 'bars',
    });
    expect(resolved.indexes).toEqual({ ts: 0, open: 1, high: 2, low: 3, close: 4, volume: 6 });
    expect(resolved.ignored).toEqual(['Adj Close']);
  });

  it('recognises vendor spellings: open_time, o/h/l/c/v, vwap, trade count, ticker', () => {
    const resolved = resolveColumns(['open_time', 'o', 'h', 'l', 'c', 'v', 'VWAP', 'number_of_trades', 'Ticker'], {
      ...base,
      kind: 'bars',
      symbolGiven: false,
    });
    expect(resolved.columns).toEqual({
      ts: 'open_time',
      open: 'o',
      high: 'h',
      low: 'l',
      close: 'c',
      volume: 'v',
      vwap: 'VWAP',
      trades: 'number_of_trades',
      symbol: 'Ticker',
    });
  });

  it('lets a mapping win over the aliases, matching loosely', () => {
    const resolved = resolveColumns(['when', 'px', 'size', 'close'], {
      ...base,
      kind: 'trades',
      mapping: { ts: 'WHEN', price: 'px' },
    });
    expect(resolved.columns).toEqual({ ts: 'when', price: 'px', quantity: 'size' });
    expect(resolved.ignored).toEqual(['close']);
  });

  it('reads array records by position', () => {
    expect(resolveColumns(['0', '1', '2', '3', '4', '5'], { ...base, kind: 'bars', positional: true }).indexes).toEqual(
      {
        ts: 0,
        open: 1,
        high: 2,
        low: 3,
        close: 4,
        volume: 5,
      },
    );
  });

  it('names missing columns and how to map them', () => {
    expect(() => resolveColumns(['date', 'price'], { ...base, kind: 'bars', symbolGiven: false })).toThrow(
      `x.csv: line 1: no column for open (looked for open/o/openprice/priceopen/opening), high (looked for high/h/highprice/pricehigh/max), low (looked for low/l/lowprice/pricelow/min), close (looked for close/c/closeprice/priceclose/closing), volume (looked for volume/vol/v/basevolume/volumebase), symbol (pass the symbol option, or map a column); the file's columns are "date", "price". Map them explicitly, e.g. mapping: { open: '<column>' }`,
    );
  });

  it('refuses a mapping to a column the file does not have, or an unknown field', () => {
    expect(() =>
      resolveColumns(['date', 'close'], { ...base, kind: 'bars', mapping: { close: 'Last Price' } }),
    ).toThrow(
      'x.csv: line 1: mapping.close names column "Last Price", which is not in the file; its columns are "date", "close"',
    );
    expect(() => resolveColumns(['a'], { ...base, kind: 'trades', mapping: { open: 'a' } })).toThrow(
      'x.csv: mapping names unknown field(s) open; trades have ts, price, quantity, side, id, symbol',
    );
  });
});
