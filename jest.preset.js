const nxPreset = require('@nx/jest/preset').default;

// ESM-only packages that swc must transform to CommonJS for jest (Node 20's require(esm) does not apply inside jest);
// @noble/* and @scure/* are the crypto packages ccxt's CommonJS build requires.
const esmOnlyPackages = [
  'p-limit',
  'yocto-queue',
  'cookie',
  'trading-signals',
  'big.js',
  'csv-parse',
  'lightweight-charts',
  'fancy-canvas',
  '@noble',
  '@scure',
];

module.exports = {
  ...nxPreset,
  testEnvironment: 'node',
  transform: {
    '^.+\\.(ts|js|mjs|cjs)$': [
      '@swc/jest',
      {
        swcrc: false,
        jsc: {
          parser: { syntax: 'typescript', decorators: false },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnlyPackages.join('|')})/)`],
  moduleFileExtensions: [...nxPreset.moduleFileExtensions, 'json'],
  testMatch: ['**/?(*.)+(spec|test).ts'],
};
