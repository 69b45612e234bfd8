export default {
  displayName: 'data-pipeline',
  preset: '../../../jest.preset.js',
  coverageDirectory: '../../../coverage/libs/services/data-pipeline',
};
