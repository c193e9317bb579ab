export interface FieldError {
  field: string;
  message: string;
}

/** An error answer of the HTTP contract: `{ error: { code, message, details? } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: FieldError[],
    /** For a refusal that passes: sent as the Retry-After header. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static validation(details: FieldError[]): ApiError {
    return new ApiError(400, 'VALIDATION_FAILED', 'The request is not valid', details);
  }

  toBody() {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details && { details: this.details }),
      },
    };
  }
}
