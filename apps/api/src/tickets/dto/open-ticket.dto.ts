import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CHANNELS,
  CUSTOMER_TIERS,
  PRIORITIES,
  type Channel,
  type CustomerTier,
  type Priority,
} from '@ledger/domain';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { NoBidiControls, NotBlank } from '../../http/text-rules';

export class CustomerDto {
  @ApiProperty({ minLength: 1, maxLength: 100 })
  @IsString()
  @Length(1, 100)
  @NotBlank('id must not be blank')
  @NoBidiControls()
  id!: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @NoBidiControls()
  name?: string;

  @ApiPropertyOptional({ enum: CUSTOMER_TIERS, default: 'standard' })
  @IsOptional()
  @IsIn(CUSTOMER_TIERS)
  tier?: CustomerTier;
}

export class OpenTicketDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Chosen by the client, or generated' })
  @IsOptional()
  @IsUUID('all')
  ticketId?: string;

  @ApiProperty({ minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  @NotBlank('subject must not be blank')
  subject!: string;

  @ApiPropertyOptional({ maxLength: 10_000 })
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  description?: string;

  @ApiProperty({ enum: CHANNELS })
  @IsIn(CHANNELS)
  channel!: Channel;

  @ApiProperty({ type: CustomerDto })
  @IsDefined()
  // ValidateNested alone lets an array through, validating its items instead.
  @IsObject({ message: 'customer must be an object' })
  @ValidateNested()
  @Type(() => CustomerDto)
  customer!: CustomerDto;

  @ApiProperty({ minLength: 1, maxLength: 100 })
  @IsString()
  @Length(1, 100)
  @NotBlank('category must not be blank')
  @NoBidiControls()
  category!: string;

  @ApiPropertyOptional({
    enum: PRIORITIES,
    description: 'Derived from keywords and the customer tier when omitted',
  })
  @IsOptional()
  @IsIn(PRIORITIES)
  priority?: Priority;
}
