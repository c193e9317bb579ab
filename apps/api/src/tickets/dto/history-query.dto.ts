import { ApiPropertyOptional } from '@nestjs/swagger';
import { DecimalInteger } from '../../read-models/dto/read-queries.dto';

export const HISTORY_PAGE_SIZE = 100;
export const MAX_HISTORY_PAGE_SIZE = 1000;

export class HistoryQueryDto {
  @ApiPropertyOptional({
    description: 'The last version the client has: the page starts after it',
    minimum: 0,
    default: 0,
  })
  @DecimalInteger(0, Number.MAX_SAFE_INTEGER)
  after?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_HISTORY_PAGE_SIZE, default: HISTORY_PAGE_SIZE })
  @DecimalInteger(1, MAX_HISTORY_PAGE_SIZE)
  limit?: number;
}
