import { Logger, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { ApiExceptionFilter } from './http/api-exception.filter';
import { acceptJsonOnly } from './http/json-body-parser';
import { RequestValidationPipe } from './http/request-validation.pipe';
import type { StorageOptions } from './storage/storage.module';

export const BODY_LIMIT_BYTES = 1024 * 1024;

export interface CreateAppOptions extends StorageOptions {
  logger?: LogLevel[] | false;
}

export function openApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Escalation Ledger')
    .setDescription('Event-sourced ticket escalation: commands, read models, audit history, KPIs')
    .setVersion('1')
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** The HTTP application, configured but not listening. */
export async function createApp(options: CreateAppOptions): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES });
  acceptJsonOnly(adapter.getInstance());
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(options),
    adapter,
    {
      bodyParser: false,
      logger: options.logger ?? ['log', 'warn', 'error'],
    },
  );
  app.useGlobalPipes(new RequestValidationPipe());
  app.useGlobalFilters(new ApiExceptionFilter());
  app.enableShutdownHooks();
  SwaggerModule.setup('docs', app, () => openApiDocument(app), {
    jsonDocumentUrl: 'docs/openapi.json',
  });
  Logger.flush();
  return app;
}
