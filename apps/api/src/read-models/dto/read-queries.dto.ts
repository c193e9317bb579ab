import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  CHANNELS,
  PRIORITIES,
  STATUSES,
  TIERS,
  type Channel,
  type Priority,
  type Status,
  type Tier,
} from '@ledger/domain';
import { KPI_GROUPINGS, type KpiGrouping } from '@ledger/projections';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  ValidateBy,
} from 'class-validator';

/**
 * A query parameter written as a plain decimal integer, as a number; anything
 * else (`0x10`, `1e2`, ` 10`) as sent, for the integer rule to refuse, where
 * `Number()` would have read it.
 */
export function fromDecimalText({ value }: { value: unknown }): unknown {
  return typeof value === 'string' && /^-?\d{1,16}$/.test(value) ? Number(value) : value;
}

/** An optional query parameter: a plain decimal integer from `min` to `max`, one message when not. */
export function DecimalInteger(min: number, max: number) {
  return applyDecorators(
    IsOptional(),
    Transform(fromDecimalText),
    ValidateBy({
      name: 'decimalInteger',
      validator: {
        validate: (value) =>
          typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max,
        defaultMessage: (args) =>
          `${args?.property} must be a whole number from ${min} to ${max}, in decimal digits`,
      },
    }),
  );
}

/** `?limit=`: 1 to 500 items a page, `byDefault` when absent. */
export function PageLimit(byDefault: number) {
  return applyDecorators(
    ApiPropertyOptional({ minimum: 1, maximum: 500, default: byDefault }),
    DecimalInteger(1, 500),
  );
}

/** Every read of a read model may wait for a position: read-your-writes. */
export class ReadModelQueryDto {
  @ApiPropertyOptional({
    description: 'Wait (up to 5 s) until the read model has applied this log position',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  after?: string;
}

export class TicketQueryDto extends ReadModelQueryDto {
  @ApiPropertyOptional({
    description: 'ISO instant: the ticket as it was then, folded from the log',
  })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  asOf?: string;
}

export const QUEUE_STATUSES = ['open', 'in_progress', 'pending'] as const;

/** `?name=true` or `?name=false`, as a boolean; anything else as sent, for the rule to refuse. */
function fromBooleanText({ value }: { value: unknown }): unknown {
  return value === 'true' ? true : value === 'false' ? false : value;
}

/** `?cursor=`: the nextCursor of the previous page. */
function PageCursor() {
  return applyDecorators(
    ApiPropertyOptional({ description: 'nextCursor of the previous page' }),
    IsOptional(),
    IsString(),
    MaxLength(1000),
  );
}

/** An id or name to match exactly, as the commands take it: 1 to 100 characters. */
function ExactText(description: string) {
  return applyDecorators(
    ApiPropertyOptional({ minLength: 1, maxLength: 100, description }),
    IsOptional(),
    IsString(),
    Length(1, 100),
  );
}

export class QueueQueryDto extends ReadModelQueryDto {
  @ApiPropertyOptional({ enum: QUEUE_STATUSES })
  @IsOptional()
  @IsIn(QUEUE_STATUSES)
  status?: (typeof QUEUE_STATUSES)[number];

  @ApiPropertyOptional({ enum: PRIORITIES })
  @IsOptional()
  @IsIn(PRIORITIES)
  priority?: Priority;

  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @Transform(fromBooleanText)
  @IsBoolean({ message: 'assigned must be true or false' })
  assigned?: boolean;

  @PageLimit(50)
  limit?: number;

  @PageCursor()
  cursor?: string;
}

/** `GET /v1/tickets`: every filter given must hold. */
export class TicketSearchQueryDto extends ReadModelQueryDto {
  @ApiPropertyOptional({ enum: TIERS })
  @IsOptional()
  @IsIn(TIERS)
  tier?: Tier;

  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES)
  status?: Status;

  @ApiPropertyOptional({ enum: PRIORITIES })
  @IsOptional()
  @IsIn(PRIORITIES)
  priority?: Priority;

  @ExactText('The opening’s category')
  category?: string;

  @ApiPropertyOptional({ enum: CHANNELS })
  @IsOptional()
  @IsIn(CHANNELS)
  channel?: Channel;

  @ExactText('The agent holding the ticket now')
  assigneeId?: string;

  @ExactText('The customer’s id')
  customerId?: string;

  @ApiPropertyOptional({ description: 'ISO instant, inclusive: tickets opened from then' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  openedFrom?: string;

  @ApiPropertyOptional({ description: 'ISO instant, exclusive: tickets opened before then' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  openedTo?: string;

  @ApiPropertyOptional({ type: Boolean, description: 'Escalated at least once, or never' })
  @IsOptional()
  @Transform(fromBooleanText)
  @IsBoolean({ message: 'escalated must be true or false' })
  escalated?: boolean;

  @PageLimit(50)
  limit?: number;

  @PageCursor()
  cursor?: string;
}

export class KpiQueryDto extends ReadModelQueryDto {
  @ApiPropertyOptional({
    description: 'ISO instant, inclusive: cohort of tickets opened from then',
  })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  from?: string;

  @ApiPropertyOptional({ description: 'ISO instant, exclusive' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  to?: string;

  @ApiPropertyOptional({ enum: KPI_GROUPINGS })
  @IsOptional()
  @IsIn(KPI_GROUPINGS)
  groupBy?: KpiGrouping;
}
