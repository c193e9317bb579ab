export * from './key-store';
export * from './key-ring';
export * from './errors';
export * from './sealing';
export * from './upcasters';
export * from './personal-data-event-store';
export * from './sqlite/sqlite-key-store';
export * from './mongo/mongo-key-store';
