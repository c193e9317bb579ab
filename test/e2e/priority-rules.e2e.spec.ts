import type { TestApp } from '../support/test-app';
import { startApi } from './support/e2e-api';
import { openedPriority } from './support/tickets';

describe('priority rules from the configuration', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startApi({
      config: {
        priorityRules: {
          keywords: [
            { keyword: 'outage', priority: 'urgent', channels: ['phone', 'chat'] },
            { keyword: 'invoice', priority: 'low' },
          ],
          vipBump: false,
        },
      },
    });
  });
  afterAll(() => api.close());

  it('applies a keyword rule on the channels it names', async () => {
    expect(await openedPriority(api, { subject: 'Outage in EU', channel: 'chat' })).toEqual({
      priority: 'urgent',
      reason: 'keyword:outage',
    });
  });

  it('ignores a keyword rule on other channels', async () => {
    expect(await openedPriority(api, { subject: 'Outage in EU', channel: 'email' })).toEqual({
      priority: 'medium',
      reason: 'default',
    });
  });

  it('applies a rule without channels on every channel', async () => {
    expect(await openedPriority(api, { subject: 'Invoice copy', channel: 'web' })).toEqual({
      priority: 'low',
      reason: 'keyword:invoice',
    });
  });

  it('leaves a VIP customer at the derived priority when the VIP bump is off', async () => {
    expect(await openedPriority(api, { customer: { id: 'vip-1', tier: 'vip' } })).toEqual({
      priority: 'medium',
      reason: 'default',
    });
  });
});
