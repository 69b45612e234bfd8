export default {
  displayName: 'tools',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/tools/rrr-tools',
};
