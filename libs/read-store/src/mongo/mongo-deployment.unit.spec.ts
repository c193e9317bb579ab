import { whyNoTransactions } from './mongo-deployment';

/** The fields every server answers `hello` with. */
const common = {
  ok: 1,
  isWritablePrimary: true,
  maxBsonObjectSize: 16777216,
  maxWireVersion: 21,
  localTime: new Date('2025-03-01T09:00:00Z'),
};

describe('a MongoDB server for the read models', () => {
  it('is a replica set primary', () => {
    const primary = { ...common, setName: 'rs0', hosts: ['mongo:27017'], primary: 'mongo:27017' };
    expect(whyNoTransactions(primary)).toBeUndefined();
  });

  it('is a replica set secondary (commits go to the primary)', () => {
    const secondary = { ...common, isWritablePrimary: false, secondary: true, setName: 'rs0' };
    expect(whyNoTransactions(secondary)).toBeUndefined();
  });

  it('is a mongos', () => {
    expect(whyNoTransactions({ ...common, msg: 'isdbgrid' })).toBeUndefined();
  });

  it('is not a standalone mongod', () => {
    expect(whyNoTransactions(common)).toMatch(/^is a standalone mongod: .* replica set/);
  });

  it('is not a member of a replica set that was never initiated', () => {
    const uninitiated = {
      ...common,
      isWritablePrimary: false,
      secondary: false,
      isreplicaset: true,
    };
    expect(whyNoTransactions(uninitiated)).toMatch(/not initiated/);
  });
});
