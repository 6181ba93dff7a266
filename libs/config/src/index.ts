export * from './allowed-targets';
export * from './app-config';
export * from './config.module';
export * from './configuration.error';
export * from './load-config';
export * from './secrets-keyring';
