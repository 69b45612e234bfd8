/**
 * Why the first bytes of a file show it is not text we can read, or undefined when they look like text. Catches
 * what users most often feed an importer by mistake: UTF-16 exports (Excel "Unicode text"), compressed or zipped
 * files (including .xlsx workbooks), and other binary data.
 */
export function detectEncodingProblem(head: Uint8Array): string | undefined {
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) {
    return 'is UTF-16 (little-endian) text, not UTF-8: save or export it as UTF-8';
  }
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) {
    return 'is UTF-16 (big-endian) text, not UTF-8: save or export it as UTF-8';
  }
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'is gzip-compressed: decompress it first';
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    return 'is a zip archive (an .xlsx workbook?), not text: export the sheet as CSV';
  }
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x41 && head[2] === 0x52 && head[3] === 0x31) {
    return 'is a Parquet file, not CSV or JSON text';
  }
  const sample = head.subarray(0, 4096);
  let nulAtEven = 0;
  let nulAtOdd = 0;
  let firstNul = -1;
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const byte = sample[i];
    if (byte === 0) {
      if (firstNul < 0) firstNul = i;
      if (i % 2 === 0) nulAtEven++;
      else nulAtOdd++;
    } else if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) {
      control++;
    }
  }
  // ASCII text stored as UTF-16 without a byte-order mark has a NUL beside every character.
  const half = sample.length / 2;
  if (half >= 4 && (nulAtOdd > half * 0.6 || nulAtEven > half * 0.6)) {
    const order = nulAtOdd > nulAtEven ? 'little' : 'big';
    return `looks like UTF-16 (${order}-endian) text without a byte-order mark, not UTF-8: save or export it as UTF-8`;
  }
  if (firstNul >= 0) return `contains binary data (a NUL byte at offset ${firstNul}), not CSV or JSON text`;
  if (control > sample.length * 0.01) {
    return `contains binary data (${control} control bytes in the first ${sample.length}), not CSV or JSON text`;
  }
  return undefined;
}

/**
 * Offset of the first byte that is not part of a valid UTF-8 sequence in `bytes`, or -1. A sequence cut off by the
 * end of `bytes` is not counted as invalid when `partialEndOk` (the next chunk may complete it).
 */
export function firstInvalidUtf8(bytes: Uint8Array, partialEndOk = false): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      return i;
    }
    if (i + need >= n) {
      // A sequence cut off by the end of the buffer: invalid only if what is there is already wrong.
      for (let k = i + 1; k < n; k++) if ((bytes[k] & 0xc0) !== 0x80) return i;
      return partialEndOk ? -1 : i;
    }
    let code = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if ((c & 0xc0) !== 0x80) return i;
      code = (code << 6) | (c & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}
