export default {
  displayName: 'risk-management',
  preset: '../../../jest.preset.js',
  coverageDirectory: '../../../coverage/libs/services/risk-management',
};
