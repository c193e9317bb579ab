import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { TracerProvider } from '@opentelemetry/api';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type AppConfig } from '@ledger/runtime';
import { createApp, openApiDocument } from '../../apps/api/src/create-app';
import type { Clock } from '../../apps/api/src/storage/clock';
import { TEST_ADMIN_KEY } from './credentials';
import { sendRequest, type HttpClient } from './http-client';
import { checkAnswer, serveDocument } from './openapi-conformance';

export { bearer, TEST_ADMIN_KEY } from './credentials';
export type { HttpAnswer, HttpClient } from './http-client';

export interface TestApp extends HttpClient {
  app: NestFastifyApplication;
  baseUrl: string;
  dataDir: string;
  /**
   * Plain fetch, with no credential added, for what `request` cannot send or
   * read (a compressed body, a stream): the answer is checked against the
   * OpenAPI document all the same, its body too unless it is a stream.
   */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** Closes the app; the data directory stays unless `removeData`. */
  close(options?: { removeData?: boolean }): Promise<void>;
}

export interface TestAppOptions {
  dataDir?: string;
  clock?: Clock;
  config?: Partial<AppConfig>;
  tracerProvider?: TracerProvider;
}

/** The real application on a random local port, on a fresh SQLite file unless a data dir is given. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'ledger-test-'));
  // The automation acts on the clock: tests that do not exercise it keep it off, so no SLA mark lands between their steps.
  const config = {
    ...loadConfig({}),
    automation: 'off' as const,
    // In this process, where a test can reach them; a worker process runs only from the build.
    projections: 'in-process' as const,
    ...options.config,
    auth: { adminKey: TEST_ADMIN_KEY, ...options.config?.auth },
    dataDir,
    port: 0,
  };
  const app = await createApp({
    config,
    clock: options.clock,
    logger: false,
    tracerProvider: options.tracerProvider,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const baseUrl = `http://127.0.0.1:${port}`;
  serveDocument(baseUrl, () => openApiDocument(app));
  return {
    app,
    baseUrl,
    dataDir,
    request: (method, path, body, headers = {}) =>
      sendRequest(baseUrl, method, path, body, headers, {
        check: (answer) => checkAnswer(baseUrl, answer),
      }),
    async fetch(path, init = {}) {
      const response = await fetch(`${baseUrl}${path}`, init);
      const stream = response.headers.get('content-type')?.startsWith('text/event-stream');
      checkAnswer(baseUrl, {
        method: init.method ?? 'GET',
        path,
        status: response.status,
        headers: response.headers,
        text: stream ? undefined : await response.clone().text(),
      });
      return response;
    },
    async close({ removeData = options.dataDir === undefined } = {}) {
      await app.close();
      if (removeData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
