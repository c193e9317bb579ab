import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, ValidateBy } from 'class-validator';

export const HISTORY_PAGE_SIZE = 100;
export const MAX_HISTORY_PAGE_SIZE = 1000;

/** Digits only: `Number` would also read '1e3', '0x10', ' 7' and '' as numbers. */
const DECIMAL_DIGITS = /^\d{1,16}$/;

/** A query parameter written in decimal digits, from `min` to `max`; one message when it is not. */
function DecimalInteger(min: number, max: number) {
  return applyDecorators(
    IsOptional(),
    Transform(({ value }) =>
      typeof value === 'string' && DECIMAL_DIGITS.test(value) ? Number(value) : value,
    ),
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
