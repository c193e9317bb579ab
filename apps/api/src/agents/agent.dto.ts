import { ApiProperty } from '@nestjs/swagger';
import {
  AVAILABILITIES,
  MAX_AGENT_CAPACITY,
  TIERS,
  type Availability,
  type Tier,
} from '@ledger/domain';
import { IsIn, IsInt, IsString, Length, Matches, Max, Min } from 'class-validator';
import { NoBidiControls, NotBlank } from '../http/text-rules';

/** Letters, digits and `._:@-`: safe in a stream name and a URL path. */
export const AGENT_ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,99}$/;

export class RegisterAgentDto {
  @ApiProperty({ pattern: AGENT_ID.source, example: 'ana' })
  @IsString()
  @Matches(AGENT_ID, { message: 'agentId must be 1 to 100 letters, digits or ._:@-' })
  agentId!: string;

  @ApiProperty({ minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  @NotBlank('name must not be blank')
  @NoBidiControls()
  name!: string;

  @ApiProperty({ enum: TIERS })
  @IsIn(TIERS)
  tier!: Tier;

  @ApiProperty({
    minimum: 1,
    maximum: MAX_AGENT_CAPACITY,
    description: 'Open tickets the assigner may give at once',
  })
  @IsInt()
  @Min(1)
  @Max(MAX_AGENT_CAPACITY)
  capacity!: number;
}

export class AvailabilityDto {
  @ApiProperty({ enum: AVAILABILITIES })
  @IsIn(AVAILABILITIES)
  availability!: Availability;
}

export class AgentAnswerDto {
  @ApiProperty() agentId!: string;
  @ApiProperty() version!: number;
  @ApiProperty() position!: string;
}

export class AgentViewDto {
  @ApiProperty() agentId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: TIERS }) tier!: Tier;
  @ApiProperty() capacity!: number;
  @ApiProperty({ enum: AVAILABILITIES }) availability!: Availability;
  @ApiProperty({ format: 'date-time', description: 'The registration, until it changes' })
  availabilityChangedAt!: string;
  @ApiProperty({ description: 'Tickets assigned to the agent and still worked on' }) open!: number;
  @ApiProperty({ type: [String], description: 'Their ids' }) openTickets!: string[];
}

export class AgentListDto {
  @ApiProperty({ type: [AgentViewDto] }) agents!: AgentViewDto[];
}
