import { ApiError } from '../http/api-error';

/** An ISO date or instant as the canonical UTC form stored in events, for comparison. */
export function toUtcInstant(value: string, field: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms))
    throw ApiError.validation([{ field, message: `${field} must be an ISO 8601 instant` }]);
  return new Date(ms).toISOString();
}
