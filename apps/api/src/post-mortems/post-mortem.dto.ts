import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ACTION_KINDS,
  DUE_DATE,
  MAX_POST_MORTEM_ACTIONS,
  ROOT_CAUSE_CODE,
  type ActionKind,
} from '@ledger/domain';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { AGENT_ID } from '../agents/agent.dto';
import { NotBlank } from '../http/text-rules';
import { POST_MORTEM_STATES, type PostMortemState } from '@ledger/read-store';
import { PageLimit, ReadModelQueryDto } from '../read-models/dto/read-queries.dto';

/** How a post-mortem numbers its actions: `a1`, `a2`… */
export const ACTION_ID = /^a[1-9]\d{0,2}$/;

/** `YYYY-MM-DD` naming a day the calendar has (no 31 April). */
function CalendarDate() {
  return ValidateBy({
    name: 'calendarDate',
    validator: {
      validate: (value) =>
        typeof value === 'string' &&
        DUE_DATE.test(value) &&
        new Date(`${value}T00:00:00.000Z`).toISOString().slice(0, 10) === value,
      defaultMessage: (args) => `${args?.property} must be a date YYYY-MM-DD`,
    },
  });
}

export class ParticipantDto {
  @ApiProperty({ pattern: AGENT_ID.source, example: 'ana' })
  @IsString()
  @Matches(AGENT_ID, { message: 'agentId must be 1 to 100 letters, digits or ._:@-' })
  agentId!: string;

  @ApiProperty({ minLength: 1, maxLength: 200, example: 'L2 engineer who found the cause' })
  @IsString()
  @Length(1, 200)
  @NotBlank('role must not be blank')
  role!: string;
}

export class ActionDto {
  @ApiPropertyOptional({
    example: 'a1',
    description: 'An open action of this post-mortem to change; absent for a new action',
  })
  @IsOptional()
  @IsString()
  @Matches(ACTION_ID, { message: 'actionId must be an action id such as a1' })
  actionId?: string;

  @ApiProperty({ enum: ACTION_KINDS })
  @IsIn(ACTION_KINDS)
  kind!: ActionKind;

  @ApiProperty({ minLength: 1, maxLength: 2000 })
  @IsString()
  @Length(1, 2000)
  @NotBlank('description must not be blank')
  description!: string;

  @ApiProperty({ pattern: AGENT_ID.source, description: 'An agent or team id', example: 'ben' })
  @IsString()
  @Matches(AGENT_ID, { message: 'owner must be 1 to 100 letters, digits or ._:@-' })
  owner!: string;

  @ApiProperty({
    example: '2026-12-18',
    description: 'Overdue from the start (UTC) of the next day',
  })
  @IsString()
  @CalendarDate()
  dueDate!: string;
}

export class PostMortemDto {
  @ApiProperty({ type: [ParticipantDto], minItems: 1, maxItems: 50 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ParticipantDto)
  participants!: ParticipantDto[];

  @ApiProperty({
    pattern: ROOT_CAUSE_CODE.source,
    example: 'billing.double-charge',
    description: 'The same short code as at resolution, which it may correct',
  })
  @IsString()
  @Matches(ROOT_CAUSE_CODE, {
    message: 'rootCause must be 1 to 64 lower-case letters, digits, dots, dashes or underscores',
  })
  rootCause!: string;

  @ApiProperty({ minLength: 1, maxLength: 5000 })
  @IsString()
  @Length(1, 5000)
  @NotBlank('wentWell must not be blank')
  wentWell!: string;

  @ApiProperty({ minLength: 1, maxLength: 5000 })
  @IsString()
  @Length(1, 5000)
  @NotBlank('toImprove must not be blank')
  toImprove!: string;

  @ApiPropertyOptional({ type: [ActionDto], maxItems: MAX_POST_MORTEM_ACTIONS, default: [] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_POST_MORTEM_ACTIONS)
  @ValidateNested({ each: true })
  @Type(() => ActionDto)
  actions?: ActionDto[];
}

export class DropActionDto {
  @ApiProperty({ minLength: 1, maxLength: 2000 })
  @IsString()
  @Length(1, 2000)
  @NotBlank('reason must not be blank')
  reason!: string;
}

export class PostMortemAnswerDto {
  @ApiProperty() ticketId!: string;
  @ApiProperty() version!: number;
  @ApiProperty() position!: string;
}

export class PostMortemListQueryDto extends ReadModelQueryDto {
  @ApiProperty({ enum: POST_MORTEM_STATES })
  @IsIn(POST_MORTEM_STATES)
  state!: PostMortemState;

  @PageLimit(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'The ticket id the previous page ended with' })
  @IsOptional()
  @IsString()
  @Matches(/^[0-9a-f-]{36}$/, { message: 'cursor must be a ticket id' })
  cursor?: string;
}
