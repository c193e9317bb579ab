import type { Provider } from '@nestjs/common';
import { InvalidCursorError } from '../http/paging/signed-cursors';
import { READ_STORE, type SecretStore } from '@ledger/read-store';
import { ApiError } from '../http/api-error';

/**
 * A cursor codec signing with a key kept in the read store under
 * `secretName`, so every api process and restart accepts the same cursors.
 */
export function cursorCodecProvider<Codec>(
  codec: new (key: string) => Codec,
  secretName: string,
): Provider {
  return {
    provide: codec,
    inject: [READ_STORE],
    useFactory: async (readStore: SecretStore) => new codec(await readStore.secret(secretName)),
  };
}

/** Where the page asked for starts; a cursor this API did not issue for the query is a 400 on `cursor`. */
export function pageStart<Key>(cursor: string | undefined, decode: (cursor: string) => Key) {
  if (cursor === undefined) return undefined;
  try {
    return decode(cursor);
  } catch (error) {
    if (error instanceof InvalidCursorError) {
      throw ApiError.validation([{ field: 'cursor', message: error.message }]);
    }
    throw error;
  }
}
