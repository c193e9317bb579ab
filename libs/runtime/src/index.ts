export * from './config/app-config';
export * from './config/exit-on-startup-error';
export * from './open-stores';
export * from './config/automation-config';
export * from './config/auth-config';
export * from './config/master-key-config';
export * from './master-key-file';
