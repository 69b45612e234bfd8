import { TempSqlite } from '../testing/temp-sqlite';
import { DataFileError } from './data-file-error';
import { readCsvChunks, type CsvChunk, type CsvReadOptions } from './read-csv-chunks';

const temp = new TempSqlite('rrr-csv-');
afterAll(() => temp.cleanup());

async function readAll(content: string | Uint8Array, options: Partial<CsvReadOptions> = {}): Promise<CsvChunk[]> {
  const path = temp.file(`f${Math.random().toString(36).slice(2)}.csv`, content);
  const chunks: CsvChunk[] = [];
  for await (const chunk of readCsvChunks(path, { displayName: 'prices.csv', ...options })) chunks.push(chunk);
  return chunks;
}

async function failure(content: string | Uint8Array, options: Partial<CsvReadOptions> = {}): Promise<DataFileError> {
  try {
    await readAll(content, options);
  } catch (err) {
    if (err instanceof DataFileError) return err;
    throw err;
  }
  throw new Error('expected a DataFileError');
}

describe('readCsvChunks', () => {
  it('reads rows with their line numbers, skipping blank lines, with CRLF and a UTF-8 BOM', async () => {
    const [chunk] = await readAll('\uFEFFdate,close\r\n2020-01-01,1\r\n\r\n2020-01-02,2\r\n');
    expect(chunk.header).toEqual(['date', 'close']);
    expect(chunk.rows).toEqual([
      ['2020-01-01', '1'],
      ['2020-01-02', '2'],
    ]);
    expect(chunk.lines).toEqual([2, 4]);
    expect(chunk.raws).toEqual(['2020-01-01,1', '2020-01-02,2']);
  });

  it('parses quoted fields with delimiters, doubled quotes and line breaks, counting lines across them', async () => {
    const chunks = await readAll('name,note,close\n"a, b","say ""hi""",1\n"multi\nline",x,2\nplain,y,3');
    expect(chunks.flatMap((c) => c.rows)).toEqual([
      ['a, b', 'say "hi"', '1'],
      ['multi\nline', 'x', '2'],
      ['plain', 'y', '3'],
    ]);
    expect(chunks.flatMap((c) => c.lines)).toEqual([2, 3, 5]);
  });

  it('detects ; tab and | delimiters from the header', async () => {
    expect((await readAll('a;b\n1;2\n'))[0].rows).toEqual([['1', '2']]);
    expect((await readAll('a\tb\n1\t2\n'))[0].delimiter).toBe('\t');
    expect((await readAll('a|b\n1|2\n'))[0].rows).toEqual([['1', '2']]);
  });

  it('reports rows with the wrong number of fields by line, and tolerates trailing empty fields', async () => {
    const [chunk] = await readAll('a,b,c\n1,2,3\n1,2\n1,2,3,\n1,2,3,4\n');
    expect(chunk.lines).toEqual([2, 4]);
    expect(chunk.bad).toEqual([
      { line: 3, raw: '1,2', reason: 'expected 3 fields (a,b,c), got 2' },
      { line: 5, raw: '1,2,3,4', reason: 'expected 3 fields (a,b,c), got 4' },
    ]);
  });

  it('streams in chunks of at most maxRows rows, across read boundaries', async () => {
    const body = Array.from({ length: 250 }, (_, i) => `${i},"q${i}"`).join('\n');
    const chunks = await readAll(`n,q\n${body}\n`, { maxRows: 100, chunkBytes: 64 });
    expect(chunks.every((c) => c.rows.length <= 100)).toBe(true);
    const rows = chunks.flatMap((c) => c.rows);
    expect(rows).toHaveLength(250);
    expect(rows[249]).toEqual(['249', 'q249']);
    expect(chunks.flatMap((c) => c.lines)).toEqual(Array.from({ length: 250 }, (_, i) => i + 2));
  });

  it('fails on a last line cut mid-row, naming the file and line', async () => {
    const err = await failure('a,b,c\n1,2,3\n4,5');
    expect(err.message).toBe(
      'prices.csv: line 3: the file ends in the middle of a row (2 of 3 fields): it looks truncated',
    );
    expect(err.code).toBe('DATA_INVALID');
    expect(err.line).toBe(3);
  });

  it('fails on a quoted field that never closes', async () => {
    expect((await failure('a,b\n1,2\n3,"unfinished\n')).message).toBe(
      'prices.csv: line 3: a quoted field is never closed: the file looks truncated (or a quote is unbalanced)',
    );
  });

  it('fails clearly on empty, header-only and non-text files', async () => {
    expect((await failure('')).message).toBe('prices.csv: is empty (0 bytes)');
    expect((await failure('\n\n  \n')).message).toBe('prices.csv: is empty: no header and no rows');
    expect((await failure('date,close\n')).message).toBe(
      'prices.csv: line 1: has a header (date,close) but no data rows',
    );
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('date,close\r\n2020-01-01,1\r\n', 'utf16le')]);
    expect((await failure(utf16)).message).toBe(
      'prices.csv: is UTF-16 (little-endian) text, not UTF-8: save or export it as UTF-8',
    );
    const utf16NoBom = Buffer.from('date,close\n2020-01-01,1\n', 'utf16le');
    expect((await failure(utf16NoBom)).message).toContain(
      'looks like UTF-16 (little-endian) text without a byte-order mark',
    );
    expect((await failure(Buffer.from([0x1f, 0x8b, 8, 0, 0, 0]))).message).toBe(
      'prices.csv: is gzip-compressed: decompress it first',
    );
    const garbage = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 73 + 11) % 256));
    expect((await failure(garbage)).message).toMatch(/^prices\.csv: contains binary data/);
  });

  it('names the line of invalid UTF-8 and of a NUL byte further in', async () => {
    const latin1 = Buffer.concat([
      Buffer.from('name,close\nabc,1\n'),
      Buffer.from([0x63, 0x61, 0x66, 0xe9]),
      Buffer.from(',2\n'),
    ]);
    const err = await failure(latin1);
    expect(err.message).toBe(
      "prices.csv: line 3: is not valid UTF-8 text (byte 0xe9 at offset 20): save it as UTF-8, or read it with encoding 'latin1' if it is a Latin-1 / Windows-1252 export",
    );
    const [chunk] = await readAll(latin1, { encoding: 'latin1' });
    expect(chunk.rows[1]).toEqual(['café', '2']);
    const head = 'a,b\n' + '1,2\n'.repeat(2000);
    expect((await failure(Buffer.concat([Buffer.from(head), Buffer.from([0, 0, 0])]))).message).toBe(
      'prices.csv: line 2002: contains a NUL byte: binary data (or a file zero-filled after a crash), not CSV or JSON text',
    );
  });

  it('says so when the file does not exist', async () => {
    const chunks = readCsvChunks(temp.path('missing.csv'), { displayName: 'missing.csv' });
    await expect(chunks.next()).rejects.toThrow('missing.csv: no such file');
  });
});
