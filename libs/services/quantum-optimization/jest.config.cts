export default {
  displayName: 'quantum-optimization',
  preset: '../../../jest.preset.js',
  coverageDirectory: '../../../coverage/libs/services/quantum-optimization',
};
