// Two suites in one run: LWC components (the Salesforce preset) and the TypeScript tooling.
const { jestConfig: lwcPreset } = require('@salesforce/sfdx-lwc-jest/config');

module.exports = {
  // Some tests run the real analysers (apex-ls and PMD on the JVM) over the whole package.
  testTimeout: 60000,
  projects: [
    {
      ...lwcPreset,
      displayName: 'lwc',
      roots: ['<rootDir>/force-app'],
      setupFilesAfterEnv: ['<rootDir>/jest.sa11y.js'],
      // Records navigation for every component test, and stands in for LightningModal, which
      // sfdx-lwc-jest does not stub (see the files in jest-mocks/lightning).
      moduleNameMapper: {
        '^lightning/navigation$': '<rootDir>/jest-mocks/lightning/navigation',
        '^lightning/modal$': '<rootDir>/jest-mocks/lightning/modal'
      },
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/samples/']
    },
    {
      displayName: 'scripts',
      testEnvironment: 'node',
      roots: ['<rootDir>/scripts'],
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/scripts/dist/'],
      // tsconfig's isolatedModules makes ts-jest transpile only; `npm run check:types` type-checks.
      transform: {
        '^.+\\.ts$': 'ts-jest',
        // pkijs and its dependencies ship ES modules only; Jest's CommonJS runtime needs them
        // transformed (the CLI itself loads them through tsx).
        '^.+\\.js$': [
          'babel-jest',
          {
            babelrc: false,
            configFile: false,
            plugins: ['@babel/plugin-transform-modules-commonjs']
          }
        ]
      },
      transformIgnorePatterns: [
        '/node_modules/(?!(pkijs|asn1js|pvtsutils|pvutils|bytestreamjs|@noble/hashes|@peculiar/utils)/)'
      ]
    }
  ],
  collectCoverageFrom: [
    'scripts/src/**/*.ts',
    '!scripts/src/**/*.test.ts',
    'force-app/**/lwc/**/*.js',
    '!**/__tests__/**'
  ],
  coverageThreshold: {
    './scripts/src/': { lines: 90 }
  },
  coverageReporters: ['text-summary', 'lcov']
};
