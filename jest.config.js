// Three tiers, selected by file suffix: unit (*.spec.ts, no servers), int (*.int-spec.ts, the real
// database and broker), e2e (*.e2e-spec.ts, the running apps). `npm test` runs all three; the int and
// e2e tiers start the local Kafka and FerretDB first when MONGODB_URI / KAFKA_BROKERS are unset.
const { pathsToModuleNameMapper } = require('ts-jest');
const ts = require('typescript');

const tsconfig = ts.readConfigFile('tsconfig.json', ts.sys.readFile).config;
const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: pathsToModuleNameMapper(tsconfig.compilerOptions.paths, {
    prefix: '<rootDir>/',
  }),
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.local/'],
};

/** @type {import('jest').Config} */
module.exports = {
  // Int and e2e tests talk to real servers; a slow CI machine must not turn that into a flake.
  testTimeout: 60_000,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'int',
      testMatch: ['<rootDir>/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
    },
  ],
};
