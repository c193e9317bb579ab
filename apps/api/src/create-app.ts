import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { TracerProvider } from '@opentelemetry/api';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { ApiExceptionFilter } from './http/api-exception.filter';
import { API_TAGS } from './http/api-tags';
import { requestTimeoutOptions } from './http/connection-bounds';
import { refuseEncodedBodies } from './http/content-encoding';
import { toApiError } from './http/error-mapping';
import { acceptJsonOnly } from './http/json-body-parser';
import { RequestValidationPipe } from './http/request-validation.pipe';
import { openStores, startTracing, TRACER_NAME } from '@ledger/runtime';
import { API_KEY_SCHEME, OIDC_TOKEN_SCHEME } from './identity/access.decorator';
import { installAccessControl, recordRoutes, type DeclaredRoute } from './identity/access-control';
import { Authenticator } from './identity/authenticator';
import { createLogger } from './observability/logging';
import { Metrics } from './observability/metrics';
import { observeRequests } from './observability/request-observation';
import { traceRequests } from './observability/traces';
import type { StorageOptions } from './storage/storage.module';
import { correlationIdOf } from './tickets/command-context';

export const BODY_LIMIT_BYTES = 1024 * 1024;
/** Node refuses request heads over 16 KiB, so no path parameter can be longer. */
const MAX_PATH_PARAM_LENGTH = 16 * 1024;

export interface CreateAppOptions extends Omit<StorageOptions, 'stores'> {
  /** `false`: no log lines at all (the tests' apps); else JSON lines at LOG_LEVEL. */
  logger?: false;
  /**
   * Where spans go. Unset: to OTEL_EXPORTER_OTLP_ENDPOINT when that is set,
   * else nowhere (none are made).
   */
  tracerProvider?: TracerProvider;
}

export function openApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Escalation Ledger')
    .setDescription('Event-sourced ticket escalation: commands, read models, audit history, KPIs')
    .setVersion('1')
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    // Relative: the routes are on whichever host served the document.
    .addServer('/', 'The server that serves this document')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'esl_…',
        description: 'An API key issued by POST /v1/keys (or ADMIN_KEY / DATA_DIR/admin.key)',
      },
      API_KEY_SCHEME,
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          'A token of the identity provider named by AUTH_ISSUER, when one is configured',
      },
      OIDC_TOKEN_SCHEME,
    );
  for (const { name, description } of API_TAGS) builder.addTag(name, description);
  return SwaggerModule.createDocument(app, builder.build());
}

/** Errors Fastify raises before routing (a path that does not decode) never reach Nest's filter. */
function answerFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  const apiError = toApiError(error);
  void reply.status(apiError.status).send(apiError.toBody());
}

const declaredRoutes = new WeakMap<NestFastifyApplication, DeclaredRoute[]>();

/** Every route the application serves with who may call it, once it is initialised. */
export function routeTable(app: NestFastifyApplication): readonly DeclaredRoute[] {
  return declaredRoutes.get(app) ?? [];
}

/** The HTTP application, configured but not listening. */
export async function createApp(options: CreateAppOptions): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    // Long enough that an over-long path id reaches its pipe and gets the contract's 400.
    routerOptions: { maxParamLength: MAX_PATH_PARAM_LENGTH },
    frameworkErrors: answerFrameworkError,
    trustProxy: options.config.trustProxy,
    genReqId: (request: IncomingMessage) => correlationIdOf(request.headers),
    ...requestTimeoutOptions(options.config),
  });
  // Past it, Node closes a new connection as soon as it is accepted.
  adapter.getInstance().server.maxConnections = options.config.maxConnections;
  acceptJsonOnly(adapter.getInstance());
  const routes = recordRoutes(adapter.getInstance());
  refuseEncodedBodies(adapter.getInstance());
  // Opened first: a server that cannot be reached stops the start with one line.
  const stores = await openStores(options.config);
  const logger =
    options.logger === false ? undefined : createLogger(options.config.operations.logLevel);
  const startedTracing = options.tracerProvider
    ? undefined
    : startTracing(options.config, 'escalation-ledger-api');
  const tracer = (options.tracerProvider ?? startedTracing)?.getTracer(TRACER_NAME);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({
      ...options,
      stores,
      observability: { logger, tracer, stopTracing: () => startedTracing?.shutdown() },
    }),
    adapter,
    { bodyParser: false, logger: logger ? undefined : false, bufferLogs: logger !== undefined },
  );
  if (logger) app.useLogger(app.get(PinoNestLogger));
  // Before access control, so a refused request has its span too.
  if (tracer) traceRequests(adapter.getInstance(), tracer);
  observeRequests(adapter.getInstance(), app.get(Metrics), logger);
  installAccessControl(adapter.getInstance(), app.get(Authenticator));
  declaredRoutes.set(app, routes);
  app.useGlobalPipes(new RequestValidationPipe());
  app.useGlobalFilters(new ApiExceptionFilter());
  app.enableShutdownHooks();
  // The document only, no bundled UI: it needs a static-file plugin the API has no other use for.
  SwaggerModule.setup('docs', app, () => openApiDocument(app), {
    ui: false,
    raw: ['json'],
    jsonDocumentUrl: 'docs/openapi.json',
  });
  Logger.flush();
  return app;
}
