import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/*
 * Import boundaries, matched on the import as written: other libs by their
 * @ledger alias, apps and projections also by relative path.
 */
const APPS = {
  regex: '(^|/)apps/',
  message: 'libs are beneath the apps: an app imports a lib, never the reverse.',
};
const PROJECTIONS = {
  regex: '^@ledger/projections(/|$)|(^|/)projections(/|$)',
  message: 'libs are beneath the projections: a projection imports a lib, never the reverse.',
};
const DOMAIN_ONLY = [
  {
    // Another lib's code is under its src/: the domain's own personal-data.ts is not.
    regex:
      '^@ledger/(?!domain$)|^(\\.\\./)+(event-store|read-store|personal-data|runtime)/src(/|$)',
    message: 'The domain is pure: it imports no other lib.',
  },
  { regex: '^@nestjs/', message: 'The domain knows nothing of Nest; apps wire it.' },
  {
    regex:
      '^(node:)?(fs|fs/promises|net|http|https|http2|child_process|cluster|dgram|dns|tls|worker_threads|readline)$',
    message: 'The domain does no I/O: adapters and apps do.',
  },
  {
    regex: '^(better-sqlite3|mongodb|@eventstore/|fastify)',
    message: 'The domain imports no store or server client: adapters do.',
  },
];
/** Type-only imports stay allowed: they check the answers' shapes and bundle nothing. */
const SERVER_CODE = [
  {
    regex:
      '^@ledger/|^@nestjs/|^fastify|^node:|^(\\.\\./)+(api|cli|projector)/|(^|/)(libs|projections)(/|$)',
    message: 'The dashboard runs in the browser: it may import server types, never server code.',
    allowTypeImports: true,
  },
];
const restrictImports = (patterns) => ({
  '@typescript-eslint/no-restricted-imports': ['error', { patterns }],
});

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'data/**', 'bench/**', 'jest.config.js'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Every .ts file belongs to tsconfig.json or apps/dashboard/tsconfig.json.
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // Stores over synchronous drivers implement async ports with `async`
      // methods that never await, so that a driver's throw becomes a rejection.
      '@typescript-eslint/require-await': 'off',
      // Passing on a reason received (an abort's, a stream's) is not inventing one.
      '@typescript-eslint/prefer-promise-reject-errors': [
        'error',
        { allowThrowingAny: true, allowThrowingUnknown: true },
      ],
    },
  },
  prettier,
  {
    // Tests read answers of many shapes off the wire.
    files: ['**/test/**/*.ts', '**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  { files: ['libs/**/*.ts'], rules: restrictImports([APPS, PROJECTIONS]) },
  {
    // Runtime's tracing observes projection batches, through a type the projections own.
    files: ['libs/runtime/src/tracing.ts'],
    rules: restrictImports([APPS, { ...PROJECTIONS, allowTypeImports: true }]),
  },
  { files: ['libs/domain/**/*.ts'], rules: restrictImports([APPS, PROJECTIONS, ...DOMAIN_ONLY]) },
  { files: ['apps/dashboard/src/**/*.ts'], rules: restrictImports(SERVER_CODE) },
);
