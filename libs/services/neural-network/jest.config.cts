export default {
  displayName: 'neural-network',
  preset: '../../../jest.preset.js',
  coverageDirectory: '../../../coverage/libs/services/neural-network',
};
