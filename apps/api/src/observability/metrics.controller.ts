import { Controller, Get, Logger, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Allow } from '../identity/access.decorator';
import { ReadModelPositions } from '../projections/read-model-positions';
import { Metrics } from './metrics';

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  private readonly logger = new Logger('Metrics');

  constructor(
    private readonly metrics: Metrics,
    private readonly positions: ReadModelPositions,
  ) {}

  @Allow('monitor')
  @Get()
  @ApiOperation({ summary: "The API's metrics, for Prometheus to scrape" })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'Prometheus text format 0.0.4',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  async scrape(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    // Measured at each scrape: the read models' lag is a reading of the stores, not a running count.
    try {
      this.metrics.readModels(await this.positions.lags());
    } catch (error) {
      this.logger.warn(`Could not measure the read models: ${(error as Error).message}`);
      this.metrics.readModels(undefined);
    }
    void reply.type(this.metrics.contentType);
    return this.metrics.render();
  }
}
