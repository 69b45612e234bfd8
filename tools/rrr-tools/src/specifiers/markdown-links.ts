export interface MarkdownLink {
  /** Offsets of the destination text (without `<>` brackets). */
  start: number;
  end: number;
  destination: string;
  /** `inline` for `[x](dest)` and `![x](dest)`, `definition` for `[id]: dest`. */
  form: 'inline' | 'definition';
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const LIST_ITEM = /^\s{0,3}([-*+]|\d+[.)])\s/;
const DEFINITION = /^ {0,3}\[(?:[^\]\\]|\\.)+\]:[ \t]*(<[^>\n]*>|\S+)/;

/** Blanks out inline code spans (same-line backtick runs of equal length) so links inside them are not seen. */
function maskCodeSpans(line: string): string {
  let masked = line;
  let i = 0;
  while (i < masked.length) {
    if (masked[i] !== '`' || (i > 0 && masked[i - 1] === '\\')) {
      i++;
      continue;
    }
    let runEnd = i;
    while (masked[runEnd] === '`') runEnd++;
    const run = masked.slice(i, runEnd);
    let close = masked.indexOf(run, runEnd);
    while (close >= 0 && masked[close + run.length] === '`') close = masked.indexOf(run, close + run.length + 1);
    if (close < 0) {
      i = runEnd;
      continue;
    }
    const end = close + run.length;
    masked = masked.slice(0, i) + ' '.repeat(end - i) + masked.slice(end);
    i = end;
  }
  return masked;
}

/** Reads an inline destination starting at `from` (just after `(`); returns its bounds or undefined. */
function inlineDestination(line: string, from: number): { start: number; end: number } | undefined {
  let i = from;
  while (line[i] === ' ' || line[i] === '\t') i++;
  if (line[i] === '<') {
    const close = line.indexOf('>', i + 1);
    return close < 0 ? undefined : { start: i + 1, end: close };
  }
  const start = i;
  let depth = 0;
  for (; i < line.length; i++) {
    const char = line[i];
    if (char === '\\') {
      i++;
      continue;
    }
    if (char === ' ' || char === '\t') break;
    if (char === '(') depth++;
    if (char === ')') {
      if (depth === 0) break;
      depth--;
    }
  }
  return i > start ? { start, end: i } : undefined;
}

/**
 * Finds link and image destinations in markdown, skipping fenced and indented code blocks and
 * inline code spans — code that shows a link is an example, not a link.
 */
export function findMarkdownLinks(text: string): MarkdownLink[] {
  const links: MarkdownLink[] = [];
  let offset = 0;
  let fence: string | undefined;
  let previousBlank = true;
  let inIndentedCode = false;
  let inList = false;

  for (const rawLine of text.split('\n')) {
    const lineStart = offset;
    offset += rawLine.length + 1;
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    const blank = line.trim() === '';

    const fenceMatch = FENCE.exec(line);
    if (fence !== undefined) {
      if (
        fenceMatch &&
        fenceMatch[1][0] === fence[0] &&
        fenceMatch[1].length >= fence.length &&
        line.trim() === fenceMatch[1]
      ) {
        fence = undefined;
      }
      continue;
    }
    if (fenceMatch) {
      fence = fenceMatch[1];
      continue;
    }
    const indented = /^( {4}|\t)/.test(line);
    if (!blank && indented && !inList && (previousBlank || inIndentedCode)) {
      inIndentedCode = true;
      continue;
    }
    if (!blank) {
      inIndentedCode = false;
      if (!indented) inList = LIST_ITEM.test(line);
    }
    previousBlank = blank;
    if (blank) continue;

    const masked = maskCodeSpans(line);
    const definition = DEFINITION.exec(masked);
    if (definition) {
      const raw = definition[1];
      const rawStart = definition.index + definition[0].length - raw.length;
      const bracketed = raw.startsWith('<');
      const start = rawStart + (bracketed ? 1 : 0);
      const end = rawStart + raw.length - (bracketed ? 1 : 0);
      links.push({
        start: lineStart + start,
        end: lineStart + end,
        destination: line.slice(start, end),
        form: 'definition',
      });
      continue;
    }
    let search = 0;
    for (;;) {
      const close = masked.indexOf('](', search);
      if (close < 0) break;
      search = close + 2;
      const open = masked.lastIndexOf('[', close);
      if (open < 0 || masked[close - 1] === '\\') continue;
      const bounds = inlineDestination(masked, close + 2);
      if (!bounds) continue;
      links.push({
        start: lineStart + bounds.start,
        end: lineStart + bounds.end,
        destination: line.slice(bounds.start, bounds.end),
        form: 'inline',
      });
      search = bounds.end;
    }
  }
  return links;
}
