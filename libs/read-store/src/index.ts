export * from './read-models';
export * from './read-store';
export * from './sqlite/sqlite-read-store';
