export * from './read-models';
export * from './read-store';
export * from './sqlite/sqlite-read-store';
export * from './mongo/mongo-read-store';
export { NoTransactionsError } from './mongo/mongo-deployment';
export * from './post-mortem-facts';
