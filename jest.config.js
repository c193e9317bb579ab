const ts = require('typescript');

const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
};

/** The `@ledger/*` aliases, as tsconfig.json's paths declare them for the compiler. */
function aliasesOfTsconfig() {
  const { config, error } = ts.readConfigFile(`${__dirname}/tsconfig.json`, ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  return Object.fromEntries(
    Object.entries(config.compilerOptions.paths).map(([alias, [target]]) => {
      if (alias.includes('*')) throw new Error(`jest.config.js maps whole names only: ${alias}`);
      return [`^${alias}$`, `<rootDir>/${target}`];
    }),
  );
}

const project = {
  testEnvironment: 'node',
  roots: ['<rootDir>/libs', '<rootDir>/projections', '<rootDir>/apps', '<rootDir>/test'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', swc],
    // jose ships only ES modules; Jest's CommonJS runtime needs them compiled like our sources.
    '^.+/node_modules/jose/.+\\.js$': ['@swc/jest', { ...swc, jsc: { target: 'es2022' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  moduleNameMapper: aliasesOfTsconfig(),
};

/**
 * A tier per suffix: unit (memory only), int (real stores, files, sockets,
 * child processes; not the HTTP app) and e2e (the app over HTTP, its
 * processes, the browser). A spec named otherwise is not run.
 */
const TIERS = ['unit', 'int', 'e2e'];

/** @type {import('jest').Config} */
module.exports = {
  projects: TIERS.map((tier) => ({
    ...project,
    displayName: tier,
    testMatch: [`**/*.${tier}.spec.ts`],
  })),
  testTimeout: 30000,
};
