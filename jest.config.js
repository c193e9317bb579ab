/** @type {import('jest').Config} */
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
};

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/libs', '<rootDir>/projections', '<rootDir>/apps', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', swc],
    // jose ships only ES modules; Jest's CommonJS runtime needs them compiled like our sources.
    '^.+/node_modules/jose/.+\\.js$': ['@swc/jest', { ...swc, jsc: { target: 'es2022' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  moduleNameMapper: {
    '^@ledger/domain$': '<rootDir>/libs/domain/src',
    '^@ledger/event-store$': '<rootDir>/libs/event-store/src',
    '^@ledger/read-store$': '<rootDir>/libs/read-store/src',
    '^@ledger/projections$': '<rootDir>/projections',
    '^@ledger/runtime$': '<rootDir>/libs/runtime/src',
    '^@ledger/personal-data$': '<rootDir>/libs/personal-data/src',
  },
  testTimeout: 30000,
};
