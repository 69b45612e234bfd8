export default {
  displayName: 'trading-engine',
  preset: '../../../jest.preset.js',
  coverageDirectory: '../../../coverage/libs/services/trading-engine',
};
