export * from './event-store';
export * from './dated-event';
export * from './sqlite/sqlite-event-store';
export * from './esdb/esdb-event-store';
export { OLDEST_SUPPORTED_SERVER, UnsupportedServerError } from './esdb/server-version';
