/** The compiler options every legacy package's tsconfig.json shares, the root's and each service's alike. */
export const LEGACY_COMPILER_OPTIONS = {
  target: 'es2022',
  module: 'commonjs',
  moduleResolution: 'node',
  lib: ['es2022'],
  strict: true,
  esModuleInterop: true,
  resolveJsonModule: true,
  skipLibCheck: true,
  forceConsistentCasingInFileNames: true,
  outDir: 'dist',
  types: ['node', 'jest'],
};
