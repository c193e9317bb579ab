import { DEFAULT_KEYWORD_RULES } from '@ledger/domain';
import { ConfigError, loadConfig } from './app-config';

describe('configuration', () => {
  it('defaults to port 3000, ./data, SQLite and in-process projections', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      eventStore: 'sqlite',
      readStore: 'sqlite',
      projections: 'in-process',
    });
    expect(config.dataDir.endsWith('/data')).toBe(true);
    expect(config.keywordRules).toBe(DEFAULT_KEYWORD_RULES);
  });

  it('names the variable of a store it does not know', () => {
    expect(() => loadConfig({ EVENT_STORE: 'postgres' })).toThrow(
      new ConfigError('EVENT_STORE=postgres is not one of: sqlite, esdb'),
    );
  });

  it('refuses a port that is not a number', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
  });

  it('reads priority keywords as word:priority pairs', () => {
    expect(loadConfig({ PRIORITY_KEYWORDS: 'fraud:urgent, invoice : low' }).keywordRules).toEqual([
      { keyword: 'fraud', priority: 'urgent' },
      { keyword: 'invoice', priority: 'low' },
    ]);
  });

  it('names the priority keyword entry it cannot read', () => {
    expect(() => loadConfig({ PRIORITY_KEYWORDS: 'fraud:critical' })).toThrow(/fraud:critical/);
  });
});
