import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { BROKEN_REASONS, type BrokenReason } from '@ledger/event-store';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** `?position=&hash=`: a head kept from GET /v1/audit/head, to check that the log still extends it. */
export class VerifyQueryDto {
  @ApiPropertyOptional({
    description: 'The position of a head kept from GET /v1/audit/head; sent with hash',
    example: '1024',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  position?: string;

  @ApiPropertyOptional({
    description: 'The hash of that head: 64 hexadecimal digits; sent with position',
    example: '53b02c7ca3e9ee7435f31e7299753c1c6ce256062d5edf9e0a9a1575860d779f',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[0-9a-fA-F]{64}$/, { message: 'hash must be 64 hexadecimal digits' })
  hash?: string;
}

export class ChainHeadDto {
  @ApiProperty({
    description:
      'The newest event’s position (SQLite), or the position the newest seal covers (EventStoreDB); the origin for an empty log',
    example: '1024',
  })
  position!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'The chain’s hash at that position, 64 hexadecimal digits; null when the newest event carries none (the chain is broken there)',
  })
  hash!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'When the newest event happened, or the seal was made; null for an empty log',
  })
  at!: string | null;
}

export class BrokenLinkDto {
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The stream of the event at position; null where the log holds no event',
  })
  streamId!: string | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Its version in its stream' })
  version!: number | null;

  @ApiProperty({ description: 'Where in the log the chain first fails' })
  position!: string;

  @ApiProperty({ enum: BROKEN_REASONS, description: 'Stable: docs/audit.md says what each means' })
  reason!: BrokenReason;

  @ApiProperty({ description: 'The reason in words; may change' })
  detail!: string;
}

export class ChainVerificationDto {
  @ApiProperty({
    description: 'Whether the chain holds over the whole log (and the receipt, if sent)',
  })
  ok!: boolean;

  @ApiProperty({ description: 'Events whose hash was recomputed, the broken one included' })
  eventsChecked!: number;

  @ApiPropertyOptional({ type: BrokenLinkDto, description: 'Only when ok is false' })
  firstBroken?: BrokenLinkDto;
}
