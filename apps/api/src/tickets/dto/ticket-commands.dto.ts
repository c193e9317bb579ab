import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ESCALATION_REASONS,
  TIERS,
  WORK_STATUSES,
  type EscalationReason,
  type Tier,
  type WorkStatus,
} from '@ledger/domain';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { NoBidiControls, NotBlank } from '../../http/text-rules';

/** A root cause is a code for analysis: it stays in the clear, so it must hold no personal data. */
const ROOT_CAUSE = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export class AssignTicketDto {
  @ApiProperty({ minLength: 1, maxLength: 100 })
  @IsString()
  @Length(1, 100)
  @NotBlank('agentId must not be blank')
  @NoBidiControls()
  agentId!: string;
}

export class EscalateTicketDto {
  @ApiPropertyOptional({ enum: TIERS, description: 'Defaults to the next tier up' })
  @IsOptional()
  @IsIn(TIERS)
  toTier?: Tier;

  @ApiProperty({ enum: ESCALATION_REASONS })
  @IsIn(ESCALATION_REASONS)
  reason!: EscalationReason;

  @ApiProperty({ minLength: 1, maxLength: 5000, description: 'What was tried before escalating' })
  @IsString()
  @Length(1, 5000)
  @NotBlank('note must say what was already tried')
  note!: string;
}

export class ResolveTicketDto {
  @ApiProperty({ minLength: 1, maxLength: 5000 })
  @IsString()
  @Length(1, 5000)
  @NotBlank('resolution must not be blank')
  resolution!: string;

  @ApiPropertyOptional({
    maxLength: 64,
    pattern: ROOT_CAUSE.source,
    example: 'expired-credentials',
    description:
      'A short code the KPIs group by, not free text: lower-case letters, digits, and . _ - after the first; stored in the clear',
  })
  @IsOptional()
  @IsString()
  @Matches(ROOT_CAUSE, {
    message:
      'rootCause must be a code of 1 to 64 lower-case letters, digits, dots, dashes and underscores, starting with a letter or digit (free text goes in resolution)',
  })
  rootCause?: string;

  @ApiPropertyOptional({
    description: 'Whether the escalation was needed, in the resolver’s judgement',
  })
  @IsOptional()
  @IsBoolean()
  escalationNecessary?: boolean;
}

export class FeedbackDto {
  @ApiProperty({ minimum: 1, maximum: 5 })
  @IsInt()
  @Min(1)
  @Max(5)
  score!: number;

  @ApiPropertyOptional({ maxLength: 5000 })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  comment?: string;
}

export class ChangeStatusDto {
  @ApiProperty({ enum: WORK_STATUSES })
  @IsIn(WORK_STATUSES)
  status!: WorkStatus;
}

export class AddNoteDto {
  @ApiProperty({ minLength: 1, maxLength: 10_000 })
  @IsString()
  @Length(1, 10_000)
  @NotBlank('body must not be blank')
  body!: string;
}

export class ReopenTicketDto {
  @ApiProperty({ minLength: 1, maxLength: 2000 })
  @IsString()
  @Length(1, 2000)
  @NotBlank('reason must not be blank')
  reason!: string;
}

export class CloseTicketDto {
  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
}

export class CommandAnswerDto {
  @ApiProperty({ format: 'uuid' })
  ticketId!: string;

  @ApiProperty({ description: 'Events in the ticket stream after the command' })
  version!: number;

  @ApiProperty({ description: 'Opaque log position of the last event: hand it back as ?after=' })
  position!: string;
}
