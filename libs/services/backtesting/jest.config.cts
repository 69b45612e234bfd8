export default {
  displayName: 'backtesting',
  preset: '../../../jest.preset.js',
  coverageDirectory: '../../../coverage/libs/services/backtesting',
};
