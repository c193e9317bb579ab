import { ConfigError } from './config-error';

/** Where the MongoDB stores live when MONGO_URL names no database. */
export const DEFAULT_MONGO_DATABASE = 'escalation_ledger';

/**
 * The driver's own split of a connection string (mongodb-connection-string-url,
 * which `MongoClient` parses with): the path starts after the credentials and
 * the hosts, at the first `/` or `?`.
 */
const CONNECTION_STRING = /^[^/]+:\/\/(?:[^:@]*(?::[^@]*)?@)?(?!:)[^/?@]*(?<rest>.*)$/;

/**
 * The database MONGO_URL names in its path, decoded as the driver decodes it
 * (`MongoClient.db()` without a name answers it), else the default. The driver
 * itself falls back to `test`, which would hide an unnamed database there.
 */
export function mongoDatabaseOf(url: string): string {
  const rest = CONNECTION_STRING.exec(url)?.groups?.rest ?? '';
  const path = rest.split(/[?#]/, 1)[0] ?? '';
  if (!path.startsWith('/') || path === '/') return DEFAULT_MONGO_DATABASE;
  try {
    return decodeURIComponent(path.slice(1));
  } catch {
    throw new ConfigError(`MONGO_URL=${url} names a database that does not decode`);
  }
}
