import { createReadStream } from 'node:fs';
import { DataFileError } from './data-file-error';
import { detectEncodingProblem, firstInvalidUtf8 } from './detect-encoding-problem';

export type TextEncodingName = 'utf8' | 'latin1';

export interface ReadTextOptions {
  /** How the file names itself in errors (the path as the user gave it). */
  displayName: string;
  /** Default utf8; latin1 (ISO-8859-1) reads legacy exports byte for byte. */
  encoding?: TextEncodingName;
  /** Bytes read per chunk. Default 1 MiB. */
  chunkBytes?: number;
}

function countNewlines(text: string, end = text.length): number {
  let n = 0;
  let i = text.indexOf('\n');
  while (i >= 0 && i < end) {
    n++;
    i = text.indexOf('\n', i + 1);
  }
  return n;
}

function fileSystemProblem(err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory, not a file';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be read (permission denied)';
  return undefined;
}

/**
 * The decoded text of a file, chunk by chunk, after checking that it is text at all: an empty file, UTF-16,
 * compressed or binary content, invalid UTF-8 and NUL bytes each end the read with a DataFileError that names the
 * file and, where it can, the line. A UTF-8 byte-order mark is dropped.
 */
export async function* readTextChunks(path: string, options: ReadTextOptions): AsyncGenerator<string> {
  const { displayName, encoding = 'utf8', chunkBytes = 1 << 20 } = options;
  const decoder = new TextDecoder(encoding === 'utf8' ? 'utf-8' : 'latin1', { fatal: encoding === 'utf8' });
  const stream = createReadStream(path, { highWaterMark: chunkBytes });
  let first = true;
  let bytesRead = 0;
  let linesBefore = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let bytes: Uint8Array = chunk;
      if (first) {
        first = false;
        const problem = detectEncodingProblem(bytes);
        if (problem !== undefined) throw new DataFileError(displayName, problem);
        if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
      }
      let text: string;
      try {
        text = decoder.decode(bytes, { stream: true });
      } catch {
        const at = Math.max(0, firstInvalidUtf8(bytes, true));
        const partial = new TextDecoder('utf-8').decode(bytes.subarray(0, at));
        throw new DataFileError(
          displayName,
          `is not valid UTF-8 text (byte 0x${bytes[at]?.toString(16).padStart(2, '0') ?? '??'} at offset ${bytesRead + at}): ` +
            `save it as UTF-8, or read it with encoding 'latin1' if it is a Latin-1 / Windows-1252 export`,
          linesBefore + countNewlines(partial) + 1,
        );
      }
      const nul = text.indexOf('\u0000');
      if (nul >= 0) {
        throw new DataFileError(
          displayName,
          'contains a NUL byte: binary data (or a file zero-filled after a crash), not CSV or JSON text',
          linesBefore + countNewlines(text, nul) + 1,
        );
      }
      bytesRead += chunk.length;
      linesBefore += countNewlines(text);
      if (text.length > 0) yield text;
    }
    let tail: string;
    try {
      tail = decoder.decode();
    } catch {
      throw new DataFileError(
        displayName,
        'ends in the middle of a UTF-8 character: it looks truncated',
        linesBefore + 1,
      );
    }
    if (tail.length > 0) yield tail;
  } catch (err) {
    if (err instanceof DataFileError) throw err;
    const problem = fileSystemProblem(err);
    if (problem !== undefined) throw new DataFileError(displayName, problem);
    throw err;
  } finally {
    stream.destroy();
  }
  if (first) throw new DataFileError(displayName, 'is empty (0 bytes)');
}
