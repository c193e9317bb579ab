import { buildDashboard } from '../support/dashboard-build';
import type { TestApp } from '../support/test-app';
import { startApi } from './support/e2e-api';

const ASSETS = [
  ['/dashboard', 'text/html'],
  ['/dashboard/app.js', 'text/javascript'],
  ['/dashboard/app.css', 'text/css'],
] as const;

describe('GET /dashboard', () => {
  let api: TestApp;

  beforeAll(async () => {
    buildDashboard();
    api = await startApi();
  });
  afterAll(() => api.close());

  it.each(ASSETS)('serves %s without a credential, as %s', async (path, type) => {
    const answer = await api.fetch(path);

    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe(`${type}; charset=utf-8`);
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await answer.text()).length).toBeGreaterThan(500);
  });

  it('lets the page load its own script, style and API only: no other origin', async () => {
    const answer = await api.fetch('/dashboard');
    const page = await answer.text();

    const policy = answer.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("connect-src 'self'");
    expect(policy).not.toMatch(/https?:|\*/);
    const referenced = [...page.matchAll(/(?:src|href)="([^"]*)"/g)].map((match) => match[1]);
    expect(referenced.sort()).toEqual([
      '#main',
      '/dashboard/app.css',
      '/dashboard/app.js',
      'data:,',
    ]);
  });

  it('answers 304 to a copy that is current, by its ETag', async () => {
    const first = await api.fetch('/dashboard/app.js');
    const etag = first.headers.get('etag')!;
    expect(first.headers.get('cache-control')).toBe('no-cache');

    const again = await api.fetch('/dashboard/app.js', {
      headers: { 'if-none-match': etag },
    });

    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
  });

  it('keeps every data route the page reads behind a credential', async () => {
    for (const path of ['/v1/kpis/escalations', '/v1/workloads', '/v1/alerts', '/v1/tickets']) {
      const answer = await api.request('GET', path, undefined, { authorization: '' });
      expect({ path, status: answer.status }).toEqual({ path, status: 401 });
    }
  });

  it('is in the OpenAPI document as public routes answering their media types', async () => {
    const document = (await api.request('GET', '/docs/openapi.json')).body;

    for (const [path, type] of ASSETS) {
      const operation = document.paths[path].get;
      expect(operation.security).toBeUndefined();
      expect(Object.keys(operation.responses).sort()).toEqual(['200', '304', '503']);
      expect(Object.keys(operation.responses['200'].content)).toEqual([type]);
    }
  });
});
