import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty() field!: string;
  @ApiProperty() message!: string;
}

export class ErrorDto {
  @ApiProperty({ example: 'VALIDATION_FAILED', description: 'Stable: clients branch on it' })
  code!: string;

  @ApiProperty({ description: 'For people; may change' })
  message!: string;

  @ApiPropertyOptional({ type: [FieldErrorDto] })
  details?: FieldErrorDto[];
}

/** Every error answer: `{ "error": { code, message, details? } }`. */
export class ErrorBodyDto {
  @ApiProperty({ type: ErrorDto }) error!: ErrorDto;
}
