import { Controller, Get, Logger, Optional, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { withTimeout } from '@ledger/runtime';
import type { FastifyReply } from 'fastify';
import { Allow } from '../identity/access.decorator';
import { ReadModelPositions } from '../projections/read-model-positions';
import { ReadModelProjections } from '../projections/read-model-projections';
import { Metrics } from './metrics';

const MEASURE_TIMEOUT_MS = 2_000;

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  private readonly logger = new Logger('Metrics');

  constructor(
    private readonly metrics: Metrics,
    private readonly positions: ReadModelPositions,
    @Optional() private readonly projections?: ReadModelProjections,
  ) {}

  @Allow('monitor')
  @Get()
  @ApiOperation({
    summary: 'Scrape metrics',
    description:
      'The API’s metrics in Prometheus’ text format: HTTP requests, commands, appends, automation and the read models’ lag (docs/operations.md).',
  })
  @ApiOkResponse({
    description: 'Prometheus text format 0.0.4',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  async scrape(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    // Measured at each scrape: the read models' lag is a reading of the stores,
    // not a running count. A store that does not answer leaves them out, not the scrape hanging.
    // The worker's counts (the automation's commands among them) join this process's;
    // both questions to it go at once.
    const [lags, elsewhere] = await Promise.all([
      withTimeout(this.positions.lags(), MEASURE_TIMEOUT_MS).catch((error: Error) => {
        this.logger.warn(`Could not measure the read models: ${error.message}`);
        return undefined;
      }),
      this.projections?.metricsElsewhere() ?? [],
    ]);
    this.metrics.readModels(lags);
    void reply.type(this.metrics.contentType);
    return this.metrics.render(elsewhere);
  }
}
