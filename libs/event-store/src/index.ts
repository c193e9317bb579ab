export * from './event-store';
export * from './dated-event';
export * from './forwarding-event-store';
export * from './sqlite/sqlite-event-store';
export * from './esdb/esdb-event-store';
export { UnsupportedServerError } from './esdb/server-version';
