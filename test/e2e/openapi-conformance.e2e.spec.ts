import { openApiDocument } from '../../apps/api/src/create-app';
import {
  OpenApiConformance,
  serveDocument,
  type ReceivedAnswer,
} from '../support/openapi-conformance';
import { startTestApp, type TestApp } from '../support/test-app';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

/** An answer as `GET /v1/workloads` could give it, with `changes` applied. */
function workloadsAnswer(
  changes: Partial<ReceivedAnswer> & { body?: unknown } = {},
): ReceivedAnswer {
  const { body, ...rest } = changes;
  const tier = { tier: 'L1', open: 0, unassigned: 0, pending: 0, oldestOpenedAt: null, agents: [] };
  return {
    method: 'GET',
    path: '/v1/workloads?after=3',
    status: 200,
    headers: new Headers(JSON_HEADERS),
    text: JSON.stringify(body ?? { tiers: [tier] }),
    ...rest,
  };
}

describe('the check of answers against the OpenAPI document', () => {
  let api: TestApp;
  let conformance: OpenApiConformance;

  beforeAll(async () => {
    api = await startTestApp();
    conformance = new OpenApiConformance(openApiDocument(api.app));
  });
  afterAll(() => api.close());

  it('takes an answer the document describes, nulls where it says nullable', () => {
    expect(() => conformance.check(workloadsAnswer())).not.toThrow();
  });

  it('fails the request of the test app that receives an answer off the document', async () => {
    const document = openApiDocument(api.app);
    delete document.paths['/v1/workloads']!.get!.responses['200'];
    serveDocument(api.baseUrl, () => document);
    try {
      await expect(api.request('GET', '/v1/workloads')).rejects.toThrow(
        /GET \/v1\/workloads answered 200, off the OpenAPI document:\n- status 200 is not documented/,
      );
    } finally {
      serveDocument(api.baseUrl, () => openApiDocument(api.app));
    }
    expect((await api.request('GET', '/v1/workloads')).status).toBe(200);
  });

  it('refuses a status the operation does not document, naming the request', () => {
    expect(() => conformance.check(workloadsAnswer({ status: 418 }))).toThrow(
      /GET \/v1\/workloads\?after=3 answered 418.*\n- status 418 is not documented for GET \/v1\/workloads/,
    );
  });

  it('refuses a body its schema does not allow, naming where', () => {
    const tier = {
      tier: 'L9',
      open: '2',
      unassigned: 0,
      pending: 0,
      oldestOpenedAt: null,
      agents: [],
    };

    expect(() => conformance.check(workloadsAnswer({ body: { tiers: [tier] } }))).toThrow(
      /answered 200.*\n- the body does not match its schema: .*\/tiers\/0\/tier must be equal to one of the allowed values.*\/tiers\/0\/open must be number/,
    );
  });

  it('refuses a field the document does not name', () => {
    expect(() => conformance.check(workloadsAnswer({ body: { tiers: [], total: 0 } }))).toThrow(
      /must NOT have additional properties \{"additionalProperty":"total"\}/,
    );
  });

  it('refuses a body of a media type the status does not document', () => {
    const answer = workloadsAnswer({
      headers: new Headers({ 'content-type': 'text/plain' }),
      text: 'tiers: none',
    });

    expect(() => conformance.check(answer)).toThrow(
      /a body of type text\/plain is not documented for status 200 \(documented: application\/json\)/,
    );
  });

  it('refuses an answer without a header the document requires', () => {
    const unauthenticated = workloadsAnswer({
      status: 401,
      body: { error: { code: 'UNAUTHENTICATED', message: 'Send a valid credential' } },
    });

    expect(() => conformance.check(unauthenticated)).toThrow(
      /required header WWW-Authenticate is missing/,
    );
  });

  it('checks a HEAD answer by its GET operation, without a body', () => {
    const head = { ...workloadsAnswer({ method: 'HEAD', text: '' }) };

    expect(() => conformance.check(head)).not.toThrow();
    expect(() => conformance.check({ ...head, status: 418 })).toThrow(/status 418/);
  });

  it('takes a 404 for a path the document does not describe, and nothing else', () => {
    const unknown = workloadsAnswer({ path: '/v1/nowhere', status: 404, text: '' });

    expect(() => conformance.check(unknown)).not.toThrow();
    expect(() => conformance.check({ ...unknown, status: 200 })).toThrow(
      /the document has no route for this path/,
    );
  });
});
