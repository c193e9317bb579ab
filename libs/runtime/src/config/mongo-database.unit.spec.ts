import { MongoClient } from 'mongodb';
import { loadConfig } from './app-config';
import { ConfigError } from './config-error';
import { DEFAULT_MONGO_DATABASE, mongoDatabaseOf } from './mongo-database';

const NAMED: [string, string][] = [
  ['mongodb://localhost:27017/ledger_prod?replicaSet=rs0', 'ledger_prod'],
  ['mongodb://localhost/ledger', 'ledger'],
  ['mongodb://a:27017,b:27017,c:27017/ledger?replicaSet=rs0&w=majority', 'ledger'],
  ['mongodb://user:p%2Fss@localhost:27017/ledger?authSource=admin', 'ledger'],
  ['mongodb+srv://user:secret@cluster0.example.net/ledger?retryWrites=true', 'ledger'],
  ['mongodb://[::1]:27017/ledger', 'ledger'],
  ['mongodb://%2Ftmp%2Fmongodb-27017.sock/ledger', 'ledger'],
  ['mongodb://localhost/my%2Dledger', 'my-ledger'],
  ['mongodb://localhost/test', 'test'],
];

const UNNAMED = [
  'mongodb://localhost:27017/?replicaSet=rs0',
  'mongodb://localhost:27017',
  'mongodb://localhost:27017/',
  'mongodb://localhost:27017?replicaSet=rs0',
  'mongodb://user:p%2Fss@localhost:27017/?authSource=admin',
  'mongodb+srv://cluster0.example.net/?retryWrites=true',
];

describe('the MongoDB database', () => {
  it.each(NAMED)('is the one %s names', (url, database) => {
    expect(mongoDatabaseOf(url)).toBe(database);
  });

  it.each(UNNAMED)(`is ${DEFAULT_MONGO_DATABASE} when %s names none`, (url) => {
    expect(mongoDatabaseOf(url)).toBe(DEFAULT_MONGO_DATABASE);
  });

  it.each([...NAMED.map(([url]) => url), ...UNNAMED])(
    'is what the driver reads from %s, where that names one',
    (url) => {
      // Parsing only: a MongoClient connects on connect(), not when made.
      const driverDatabase = new MongoClient(url).db().databaseName;
      const ours = mongoDatabaseOf(url);
      expect(ours === DEFAULT_MONGO_DATABASE ? 'test' : ours).toBe(driverDatabase);
    },
  );

  it('names MONGO_URL when its database does not decode', () => {
    expect(() => mongoDatabaseOf('mongodb://localhost/led%ger')).toThrow(ConfigError);
    expect(() => mongoDatabaseOf('mongodb://localhost/led%ger')).toThrow(/^MONGO_URL=/);
  });

  it('is part of the configuration with READ_STORE=mongo', () => {
    const config = loadConfig({
      READ_STORE: 'mongo',
      MONGO_URL: 'mongodb://mongo:27017/ledger_staging?replicaSet=rs0',
    });
    expect(config.mongoDatabase).toBe('ledger_staging');
    expect(
      loadConfig({ READ_STORE: 'mongo', MONGO_URL: 'mongodb://mongo:27017/?replicaSet=rs0' })
        .mongoDatabase,
    ).toBe(DEFAULT_MONGO_DATABASE);
  });
});
