import { findMarkdownLinks } from './markdown-links';

describe('findMarkdownLinks', () => {
  const destinations = (text: string) => findMarkdownLinks(text).map((link) => [link.form, link.destination]);

  it('finds inline links, images and reference definitions with exact offsets', () => {
    const text = 'See [a](./a.md) and ![img](<../img/x y.png> "t").\n\n[ref]: ../docs/ref.md "Title"\n';
    const links = findMarkdownLinks(text);
    expect(links.map((link) => [link.form, link.destination])).toEqual([
      ['inline', './a.md'],
      ['inline', '../img/x y.png'],
      ['definition', '../docs/ref.md'],
    ]);
    for (const link of links) expect(text.slice(link.start, link.end)).toBe(link.destination);
  });

  it('keeps balanced parentheses in destinations and stops at the closing one', () => {
    expect(destinations('[w](./notes_(draft).md) tail)')).toEqual([['inline', './notes_(draft).md']]);
  });

  it('skips inline code, fenced blocks and indented code', () => {
    const text = [
      'Use `[x](./code-span.md)` like this, or ``[y](./double.md)``.',
      '',
      '```md',
      '[z](./fenced.md)',
      '```',
      '',
      '~~~~',
      '[t](./tilde.md)',
      '~~~~',
      '',
      '    [i](./indented.md)',
      '',
      '- item with [real](./real.md)',
      '    continued [also real](./continued.md)',
    ].join('\n');
    expect(destinations(text)).toEqual([
      ['inline', './real.md'],
      ['inline', './continued.md'],
    ]);
  });

  it('works with CRLF line endings', () => {
    const text = 'line\r\n[a](./a.md)\r\n';
    const [link] = findMarkdownLinks(text);
    expect(text.slice(link.start, link.end)).toBe('./a.md');
  });
});
