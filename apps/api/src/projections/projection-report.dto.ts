import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PROJECTION_STATUSES, type ProjectionStatus } from '@ledger/projections';
import { PROJECTION_NAMES, type ProjectionName } from '@ledger/read-store';

/** A projection's report (`ProjectionReport`), for the OpenAPI document. */
export class ProjectionReportDto {
  @ApiProperty({ enum: PROJECTION_NAMES }) name!: ProjectionName;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The log position applied; null before the first event',
  })
  position!: string | null;
  @ApiProperty({
    enum: [...PROJECTION_STATUSES, 'external'],
    description: 'external: projector processes run it, and the API does not know how it is',
  })
  status!: ProjectionStatus | 'external';
  @ApiPropertyOptional({ description: 'Why it failed' }) error?: string;
}

export class RebuildStartedDto {
  @ApiProperty({ enum: PROJECTION_NAMES }) name!: ProjectionName;
  @ApiProperty({ enum: ['rebuilding'] }) status!: 'rebuilding';
}
