/**
 * The oldest server the adapter works with. Stream reads carry each event's
 * real `$all` position from 22.6 on (before, the client reports a placeholder
 * all the same), and a namespace's reads wait for the message that says a
 * subscription has caught up, which servers send from 23.10 on.
 */
export const OLDEST_SUPPORTED_SERVER = '23.10';

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
