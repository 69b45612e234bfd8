import { TempSqlite } from '../testing/temp-sqlite';
import { readJsonChunks, type JsonChunk, type JsonReadOptions } from './read-json-chunks';

const temp = new TempSqlite('rrr-json-');
afterAll(() => temp.cleanup());

async function readAll(content: string, options: Partial<JsonReadOptions> = {}): Promise<JsonChunk[]> {
  const path = temp.file(`f${Math.random().toString(36).slice(2)}.json`, content);
  const chunks: JsonChunk[] = [];
  for await (const chunk of readJsonChunks(path, { displayName: 'bars.json', ...options })) chunks.push(chunk);
  return chunks;
}

describe('readJsonChunks', () => {
  it('reads a JSON array record by record, with the line each record starts on', async () => {
    const [chunk] = await readAll('[\n  {"t": 1, "c": 2},\n  {"t": 2,\n   "c": "x]"},\n  [3, 4]\n]\n');
    expect(chunk.layout).toBe('array');
    expect(chunk.records).toEqual([{ t: 1, c: 2 }, { t: 2, c: 'x]' }, [3, 4]]);
    expect(chunk.lines).toEqual([2, 3, 5]);
  });

  it('reports records that are not objects, keeping the rest', async () => {
    const [chunk] = await readAll('[{"t":1}, 7, {"t":2}]');
    expect(chunk.records).toEqual([{ t: 1 }, { t: 2 }]);
    expect(chunk.bad).toEqual([{ line: 1, raw: '7', reason: 'expected an object (or an array of values), got 7' }]);
  });

  it('fails on an array cut short, naming the line of the cut record', async () => {
    await expect(readAll('[\n{"t":1},\n{"t":2,"c"')).rejects.toThrow(
      'bars.json: line 3: the record starting here is cut off: the file looks truncated',
    );
    await expect(readAll('[\n{"t":1},\n')).rejects.toThrow('bars.json: line 3: the JSON array is never closed');
    await expect(readAll('[]')).rejects.toThrow('bars.json: line 1: is an empty JSON array: no records');
  });

  it('reads NDJSON line by line, reporting a broken line and failing on a cut last line', async () => {
    const chunks = await readAll('{"t":1}\n\n{"t":2\n{"t":3}\n');
    expect(chunks[0].layout).toBe('ndjson');
    expect(chunks[0].records).toEqual([{ t: 1 }, { t: 3 }]);
    expect(chunks[0].lines).toEqual([1, 4]);
    expect(chunks[0].bad[0]).toMatchObject({ line: 3, raw: '{"t":2' });
    expect(chunks[0].bad[0].reason).toMatch(/^not valid JSON/);
    await expect(readAll('{"t":1}\n{"t":2')).rejects.toThrow('bars.json: line 2: the last record is cut off');
  });

  it('explains files that are not records', async () => {
    await expect(readAll('{\n  "results": []\n}\n')).rejects.toThrow('is a single pretty-printed JSON object');
    await expect(readAll('date,close\n')).rejects.toThrow(
      'bars.json: line 1: does not start with [ or { (found "d"): it is not JSON',
    );
  });
});
