import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { BusinessCalendarDto, SlaTargetsByPriorityDto } from './sla-policy.dto';

/** A version of the policy as recorded (`VersionedSlaPolicy`), for the OpenAPI document. */
export class SlaPolicyViewDto {
  @ApiProperty({ description: '0: the built-in default, in force until a policy is set' })
  version!: number;
  @ApiProperty({ type: SlaTargetsByPriorityDto }) targets!: SlaTargetsByPriorityDto;
  @ApiProperty({ description: 'Share of a target after which a warning is due' }) warnAt!: number;
  @ApiPropertyOptional({ type: BusinessCalendarDto, description: 'Around the clock when absent' })
  calendar?: BusinessCalendarDto;
}

export class SlaPolicyVersionsDto {
  @ApiProperty({ type: [SlaPolicyViewDto], description: 'Oldest first' })
  versions!: SlaPolicyViewDto[];
}

export class SlaPolicyChangedDto extends SlaPolicyViewDto {
  @ApiProperty({ description: 'The log position of its event, for ?after=' }) position!: string;
}
