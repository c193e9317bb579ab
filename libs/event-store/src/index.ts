export * from './event-store';
export * from './dated-event';
export * from './forwarding-event-store';
export * from './sqlite/sqlite-event-store';
export { verifySqliteLogFile } from './sqlite/sqlite-chain';
export * from './chain/chain-verification';
export { eventHash, GENESIS_HASH, isChainHash, type ChainedContent } from './chain/event-hash';
export * from './esdb/esdb-event-store';
export { UnsupportedServerError } from './esdb/server-version';
