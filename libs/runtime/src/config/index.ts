export { loadConfig } from './app-config';
export { exitOnStartupError } from './exit-on-startup-error';
