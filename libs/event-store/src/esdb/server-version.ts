/**
 * The oldest server the adapter works with, the first long-term release whose
 * stream reads carry each event's real `$all` position (older ones send none,
 * or a placeholder, and the client reports a position either way).
 */
export const OLDEST_SUPPORTED_SERVER = '22.10';

/** The server is older than OLDEST_SUPPORTED_SERVER, or would not say which version it is. */
export class UnsupportedServerError extends Error {
  /** The server as it described itself, e.g. `EventStoreDB 21.10.9`. */
  readonly server: string;

  constructor(readonly version: string | undefined) {
    const server =
      version === undefined
        ? 'an EventStoreDB that does not report its version'
        : `EventStoreDB ${version}`;
    super(`The server is ${server}: ${OLDEST_SUPPORTED_SERVER} or later is needed`);
    this.name = 'UnsupportedServerError';
    this.server = server;
  }
}

/** Throws UnsupportedServerError unless `version`, as the server reports it (`24.10.4`), is supported. */
export function assertSupportedServer(version: string | undefined): void {
  if (version === undefined || compareVersions(version, OLDEST_SUPPORTED_SERVER) < 0) {
    throw new UnsupportedServerError(version);
  }
}

/** By major, then minor number; a version that does not start with them sorts first. */
function compareVersions(a: string, b: string): number {
  const [majorA, minorA] = majorMinor(a);
  const [majorB, minorB] = majorMinor(b);
  return majorA !== majorB ? majorA - majorB : minorA - minorB;
}

function majorMinor(version: string): [number, number] {
  const match = /^(\d+)\.(\d+)/.exec(version);
  return match ? [Number(match[1]), Number(match[2])] : [-1, -1];
}
