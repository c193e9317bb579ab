import type { Document } from 'mongodb';

/**
 * Why the server that answered `hello` cannot hold the read models, or
 * undefined when it can. A batch and its checkpoint commit in one transaction,
 * and only replica set members and mongos run transactions: a standalone
 * mongod accepts the connection and the indexes, then refuses every commit.
 * The fields are read as the driver reads them to tell server types apart
 * (`parseServerType`, sdam/server_description.ts).
 */
export function whyNoTransactions(hello: Document): string | undefined {
  if (hello.isreplicaset) {
    return 'is a replica set member whose set is not initiated (run rs.initiate())';
  }
  if (hello.msg === 'isdbgrid' || hello.setName) return undefined;
  return 'is a standalone mongod: the read models commit in transactions, which need a replica set (one member is enough) or mongos';
}

/** The server reached runs no transactions; the message says why. */
export class NoTransactionsError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'NoTransactionsError';
  }
}
