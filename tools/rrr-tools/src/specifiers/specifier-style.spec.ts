import { formatRelativeSpecifier, specifierStyle } from './specifier-style';

describe('specifier style', () => {
  const rewrite = (specifier: string, oldTarget: string, from: string, newTarget: string, isFilePath = false) =>
    formatRelativeSpecifier(from, newTarget, specifierStyle(specifier, oldTarget, isFilePath));

  it('drops extensions the author dropped', () => {
    expect(rewrite('./priceFeed', 'w/src/priceFeed.ts', 'l/src/a.ts', 'l/src/feeds/price-feed.ts')).toBe(
      './feeds/price-feed',
    );
    expect(rewrite('../types', 'w/types.d.ts', 'l/src/a.ts', 'l/types.d.ts')).toBe('../types');
  });

  it('keeps ESM .js extensions for TS sources, and real extensions', () => {
    expect(rewrite('./bar_builder.js', 'w/bar_builder.ts', 'l/a.ts', 'l/bar-builder.ts')).toBe('./bar-builder.js');
    expect(rewrite('./m.mjs', 'w/m.mts', 'l/a.ts', 'l/x/m.mts')).toBe('./x/m.mjs');
    expect(rewrite('./data.json', 'w/data.json', 'l/a.ts', 'l/d/data.json')).toBe('./d/data.json');
    expect(rewrite('./legacy.js', 'w/legacy.js', 'l/a.ts', 'l/legacy.js')).toBe('./legacy.js');
  });

  it('keeps directory style for index targets, and explicit index style', () => {
    expect(rewrite('./storageLayer', 'w/storageLayer/index.ts', 'l/a.ts', 'l/storage-layer/index.ts')).toBe(
      './storage-layer',
    );
    expect(rewrite('./storageLayer/', 'w/storageLayer/index.ts', 'l/a.ts', 'l/storage-layer/index.ts')).toBe(
      './storage-layer/',
    );
    expect(rewrite('./storageLayer/index', 'w/storageLayer/index.ts', 'l/a.ts', 'l/storage-layer/index.ts')).toBe(
      './storage-layer/index',
    );
    expect(rewrite('.', 'w/index.ts', 'w/a.ts', 'w/index.ts')).toBe('.');
    expect(rewrite('..', 'w/index.ts', 'w/x/a.ts', 'w/index.ts')).toBe('..');
  });

  it('treats dotted names that are not extensions as part of the name', () => {
    expect(rewrite('./order.service', 'w/order.service.ts', 'l/a.ts', 'l/orders/order.service.ts')).toBe(
      './orders/order.service',
    );
  });

  it('keeps reference paths bare when they were bare', () => {
    expect(rewrite('globals.d.ts', 'w/globals.d.ts', 'w/a.ts', 'w/globals.d.ts', true)).toBe('globals.d.ts');
    expect(rewrite('globals.d.ts', 'w/globals.d.ts', 'w/a.ts', 'x/globals.d.ts', true)).toBe('../x/globals.d.ts');
  });
});
