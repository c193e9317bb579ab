import { Controller, Get, HttpCode, Optional, Param, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { echoed } from '@ledger/domain';
import type { ProjectionReport } from '@ledger/projections';
import { isProjectionName, PROJECTION_NAMES, type ProjectionName } from '@ledger/read-store';
import { ApiError } from '../http/api-error';
import { ErrorBodyDto } from '../http/error-body.dto';
import { Allow } from '../identity/access.decorator';
import { ProjectionReportDto, RebuildStartedDto } from './projection-report.dto';
import { ReadModelPositions } from './read-model-positions';
import { ReadModelProjections } from './read-model-projections';

function projectionNamed(name: string): ProjectionName {
  if (!isProjectionName(name)) {
    throw new ApiError(
      404,
      'PROJECTION_NOT_FOUND',
      `No projection is named ${echoed(name)}: ${PROJECTION_NAMES.join(', ')}`,
    );
  }
  return name;
}

@ApiTags('projections')
@Controller('v1/projections')
export class ProjectionsController {
  constructor(
    private readonly positions: ReadModelPositions,
    @Optional() private readonly projections?: ReadModelProjections,
  ) {}

  @Allow('analyst')
  @ApiOkResponse({
    type: [ProjectionReportDto],
    description: 'Each projection’s position and status',
  })
  @Get()
  @ApiOperation({
    summary: 'List projections',
    description:
      'Each projection with the log position it has applied and its status: starting, catching-up, live, rebuilding or failed (external when projector processes run them).',
  })
  list(): Promise<ProjectionReport[]> {
    return this.positions.report();
  }

  @Allow('analyst')
  @ApiAcceptedResponse({ type: RebuildStartedDto, description: 'The rebuild has started' })
  @Post(':name/rebuild')
  @HttpCode(202)
  @ApiNotFoundResponse({
    type: ErrorBodyDto,
    description: `PROJECTION_NOT_FOUND: the name is none of ${PROJECTION_NAMES.join(', ')}`,
  })
  @ApiConflictResponse({
    type: ErrorBodyDto,
    description:
      'REBUILD_IN_PROGRESS: it is being rebuilt already; ALREADY_REBUILT: nothing was appended since its last rebuild; PROJECTIONS_NOT_IN_PROCESS: projections run in the projector process',
  })
  @ApiServiceUnavailableResponse({
    type: ErrorBodyDto,
    description:
      'SHUTTING_DOWN: the server is stopping its projections; PROJECTIONS_RESTARTING: the projection worker is starting again',
  })
  @ApiOperation({
    summary: 'Rebuild a read model',
    description:
      'Rebuilds the read model from the start of the log; the current one serves until the new one has caught up.',
  })
  async rebuild(@Param('name') name: string): Promise<RebuildStartedDto> {
    const projection = projectionNamed(name);
    if (!this.projections) {
      throw new ApiError(
        409,
        'PROJECTIONS_NOT_IN_PROCESS',
        'Projections run in the projector process: rebuild there',
      );
    }
    const start = await this.projections.startRebuild(projection);
    if (start === 'unchanged') {
      throw new ApiError(
        409,
        'ALREADY_REBUILT',
        `${projection} was rebuilt from the log as it stands: nothing was appended since`,
      );
    }
    if (start === 'stopped') {
      throw new ApiError(503, 'SHUTTING_DOWN', 'The server is shutting down');
    }
    if (start === 'unavailable') {
      throw new ApiError(
        503,
        'PROJECTIONS_RESTARTING',
        'The projection worker is starting again: ask again in a few seconds',
      );
    }
    if (start === 'rebuilding') {
      throw new ApiError(409, 'REBUILD_IN_PROGRESS', `${projection} is being rebuilt already`);
    }
    return { name: projection, status: 'rebuilding' };
  }
}
