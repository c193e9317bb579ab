export * from './event-store';
export * from './sqlite/sqlite-event-store';
