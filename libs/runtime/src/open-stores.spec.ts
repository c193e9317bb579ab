import { EsdbEventStore, UnsupportedServerError } from '@ledger/event-store';
import { ConfigError, loadConfig } from './config/app-config';
import { openStores } from './open-stores';

describe('openStores with EVENT_STORE=esdb', () => {
  const url = 'esdb://eventstore.invalid:2113?tls=false';

  afterEach(() => jest.restoreAllMocks());

  it('stops on a server too old for the log, naming the URL and the version found', async () => {
    // The server's answer, as the adapter reports it: no server is reached here.
    jest
      .spyOn(EsdbEventStore.prototype, 'ping')
      .mockRejectedValue(new UnsupportedServerError('22.10.5'));

    const opening = openStores(loadConfig({ EVENT_STORE: 'esdb', EVENTSTORE_URL: url }));

    await expect(opening).rejects.toThrow(ConfigError);
    await expect(opening).rejects.toThrow(
      `EVENTSTORE_URL=${url} is EventStoreDB 22.10.5: the log needs 23.10 or later`,
    );
  });
});
