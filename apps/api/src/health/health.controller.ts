import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  type HealthCheckResult,
  type HealthIndicatorFunction,
} from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { Public } from '../identity/access.decorator';
import { HealthDto } from './health.dto';
import { Readiness } from './readiness';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly checks: HealthCheckService,
    private readonly readiness: Readiness,
  ) {}

  @Public()
  @Get()
  @ApiOperation({
    summary: 'Health',
    description:
      'Answers { status: ok }. The server listens only once its stores are open and the projections it runs have caught up.',
  })
  @ApiOkResponse({ type: HealthDto })
  health(): HealthDto {
    return { status: 'ok' };
  }

  @Public()
  @Get('live')
  @HealthCheck()
  @ApiOperation({
    summary: 'Liveness probe',
    description: 'The process answers: 200, or 503 while it shuts down.',
  })
  live(@Res({ passthrough: true }) reply: FastifyReply) {
    return this.check(reply, []);
  }

  @Public()
  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    summary: 'Readiness probe',
    description:
      'The stores answer and every read model is within READY_MAX_LAG_S of the log’s head: 200, or 503 naming what is down.',
  })
  ready(@Res({ passthrough: true }) reply: FastifyReply) {
    return this.check(reply, this.readiness.indicators);
  }

  /** Terminus' answer, 200 or 503, as it writes it: the error filter would make a 503 an error body. */
  private async check(
    reply: FastifyReply,
    indicators: HealthIndicatorFunction[],
  ): Promise<HealthCheckResult> {
    try {
      return await this.checks.check(indicators);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      void reply.status(503);
      return error.getResponse() as HealthCheckResult;
    }
  }
}
