// LWC components use Salesforce's recommended LWC rules; the TypeScript tooling uses
// typescript-eslint with type information. Broken samples are linted only by the gate's tests.
const lwcConfig = require('@salesforce/eslint-config-lwc');
const jestPlugin = require('eslint-plugin-jest');
const tseslint = require('typescript-eslint');
const globals = require('globals');

module.exports = [
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'coverage/**',
      'reports/**',
      'scripts/dist/**',
      'samples/broken/**',
      '.sfdx/**',
      '.sf/**'
    ]
  },
  ...lwcConfig.configs.recommended.map((config) => ({
    ...config,
    files: ['**/lwc/**/*.js']
  })),
  {
    files: ['**/lwc/**/__tests__/**/*.js', '**/lwc/**/*.test.js', 'jest-mocks/**/*.js'],
    ...jestPlugin.configs['flat/recommended'],
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
    // Tests drive wire adapters directly (getRecord.emit), as sfdx-lwc-jest documents.
    rules: {
      ...jestPlugin.configs['flat/recommended'].rules,
      '@lwc/lwc/no-unexpected-wire-adapter-usages': 'off'
    }
  },
  ...tseslint.configs.recommendedTypeChecked.map((config) => ({
    ...config,
    files: ['scripts/**/*.ts']
  })),
  {
    files: ['scripts/**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: __dirname }
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }]
    }
  },
  {
    // jest's asymmetric matchers (expect.any, expect.objectContaining) are typed `any`.
    files: ['scripts/**/*.test.ts'],
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off' }
  },
  {
    // The preview page's browser code: fixtures and stand-ins for the platform's modules.
    files: ['scripts/preview/**/*.js'],
    ...require('@eslint/js').configs.recommended,
    languageOptions: { sourceType: 'module', globals: globals.browser }
  },
  {
    files: ['*.js', 'scripts/*.cjs', '.ci/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node }
  }
];
