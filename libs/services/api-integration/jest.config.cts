export default {
  displayName: 'api-integration',
  preset: '../../../jest.preset.js',
  coverageDirectory: '../../../coverage/libs/services/api-integration',
};
