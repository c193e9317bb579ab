import { startTestApp, type TestApp } from '../support/test-app';

describe('the API on a fresh store', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(() => api.close());

  it('opens a ticket and reads it back after its position', async () => {
    const opened = await api.request('POST', '/v1/tickets', {
      subject: 'Printer on fire',
      channel: 'phone',
      customer: { id: 'c-9' },
      category: 'hardware',
    });
    expect(opened.status).toBe(201);
    const read = await api.request(
      'GET',
      `/v1/tickets/${opened.body.ticketId}?after=${opened.body.position}`,
    );
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      subject: 'Printer on fire',
      tier: 'L1',
      status: 'open',
      version: 1,
    });
    expect(read.headers.get('etag')).toBe('"1"');
  });
});
