export default {
  displayName: 'tools',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/tools/rrr-tools',
  // The specs drive real git repositories on disk (bundles, history imports, commits): seconds each on a loaded
  // machine, where jest's 5 s default cut a full consolidation short.
  testTimeout: 30_000,
};
