import {
  ANY,
  NO_STREAM,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AppendExpectedRevision,
  type AppendToStreamOptions,
  type CurrentRevision,
  type EventStoreDBClient,
} from '@eventstore/db-client';
import { ConcurrencyConflictError, type ExpectedVersion } from '../event-store';

/*
 * Everything that depends on the client's names for revisions and their
 * errors. Its successor, @kurrent/kurrentdb-client, calls the expected
 * revision `streamState` and its error fields `expectedState`/`actualState`:
 * moving to it changes this file only.
 */

/** The port counts a stream's events (1 = one event); the server numbers revisions from 0. */
export function versionOfRevision(revision: bigint): number {
  return Number(revision) + 1;
}

/** The revision of the event that follows version `version`: a stream's first is revision 0. */
export function revisionAfterVersion(version: number): bigint {
  return BigInt(version);
}

export function appendOptions(expected: ExpectedVersion): AppendToStreamOptions {
  return { expectedRevision: expectedRevisionOf(expected) };
}

function expectedRevisionOf(expected: ExpectedVersion): AppendExpectedRevision {
  if (expected === 'any') return ANY;
  if (expected === 'no_stream' || expected === 0) return NO_STREAM;
  return BigInt(expected - 1);
}

function versionOfCurrent(current: CurrentRevision): number {
  return current === NO_STREAM ? 0 : versionOfRevision(current);
}

/** The port's conflict for the server's wrong-expected-version error; anything else is rethrown as is. */
export function conflictOrRethrow(
  error: unknown,
  streamId: string,
  expected: ExpectedVersion,
): never {
  if (error instanceof WrongExpectedVersionError) {
    throw new ConcurrencyConflictError(streamId, expected, versionOfCurrent(error.actualVersion));
  }
  throw error;
}

export function isStreamNotFound(error: unknown): boolean {
  return error instanceof StreamNotFoundError;
}

/** The answer the client keeps from the server's features service. */
interface ServerFeatures {
  serverVersion: string;
}

/**
 * The version the server reports, e.g. `24.10.4`, or undefined for a server
 * without the features service. The client asks once per connection and keeps
 * the answer behind a getter its typings mark protected; it says `unknown`
 * when the server does not implement the service.
 */
export async function serverVersionOf(client: EventStoreDBClient): Promise<string | undefined> {
  const { capabilities } = client as unknown as { capabilities: Promise<ServerFeatures> };
  const { serverVersion } = await capabilities;
  return serverVersion === 'unknown' ? undefined : serverVersion;
}
