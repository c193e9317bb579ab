import { ApiPropertyOptional } from '@nestjs/swagger';
import { echoed, isLoggedEventType, LOGGED_EVENT_TYPES } from '@ledger/domain';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { ApiError } from '../http/api-error';

export class FeedQueryDto {
  @ApiPropertyOptional({
    description:
      'Start after this log position (an event id of the feed, or a position a command answered); Last-Event-ID takes precedence. Without either, the feed starts at the head of the log.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  after?: string;

  @ApiPropertyOptional({
    description: `Only these event types, comma-separated: ${LOGGED_EVENT_TYPES.join(', ')}`,
    example: 'TicketEscalated,TicketResolved',
  })
  @IsOptional()
  // `?types=A&types=B` reads as `?types=A,B`.
  @Transform(({ value }: { value: unknown }) => (Array.isArray(value) ? value.join(',') : value))
  @IsString()
  @MaxLength(2000)
  types?: string;
}

/** The event types `?types=` names, or undefined for all; 400 for a type the log does not hold. */
export function requestedTypes(types: string | undefined): ReadonlySet<string> | undefined {
  if (types === undefined) return undefined;
  const named = types
    .split(',')
    .map((type) => type.trim())
    .filter((type) => type !== '');
  if (named.length === 0) {
    throw ApiError.validation([{ field: 'types', message: 'types must name an event type' }]);
  }
  const unknown = named.filter((type) => !isLoggedEventType(type));
  if (unknown.length > 0) {
    throw ApiError.validation([
      {
        field: 'types',
        message: `types names unknown event types (${unknown.map((type) => echoed(type)).join(', ')}); the log holds: ${LOGGED_EVENT_TYPES.join(', ')}`,
      },
    ]);
  }
  return new Set(named);
}
