import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES, type ApiKey, type Role } from '@ledger/domain';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
} from 'class-validator';
import { AGENT_ID } from '../agents/agent.dto';
import { NoBidiControls, NotBlank } from '../http/text-rules';

export const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;

export class IssueApiKeyDto {
  @ApiPropertyOptional({ enum: ROLES, isArray: true, description: 'The roles, or `role` for one' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ROLES.length)
  @IsIn(ROLES, { each: true })
  roles?: Role[];

  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiProperty({ minLength: 1, maxLength: 200, example: 'night-shift L2' })
  @IsString()
  @Length(1, 200)
  @NotBlank('name must not be blank')
  @NoBidiControls()
  name!: string;

  @ApiPropertyOptional({ pattern: AGENT_ID.source, description: 'The agent an agent key acts as' })
  @IsOptional()
  @IsString()
  @Matches(AGENT_ID, { message: 'agentId must be 1 to 100 letters, digits or ._:@-' })
  agentId?: string;
}

export class ApiKeyDto {
  @ApiProperty() keyId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles!: Role[];
  @ApiPropertyOptional() agentId?: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiPropertyOptional({ format: 'date-time' }) revokedAt?: string;
}

export class IssuedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ description: 'The secret: shown in this answer only, never again' })
  key!: string;
}

export class ApiKeyListDto {
  @ApiProperty({ type: [ApiKeyDto] }) keys!: ApiKeyDto[];
}

/** A key as the API and the command line show it: never its secret or its hash. */
export function describeKey(key: ApiKey): ApiKeyDto {
  return {
    keyId: key.keyId,
    name: key.name,
    roles: key.roles,
    ...(key.agentId !== undefined && { agentId: key.agentId }),
    createdAt: key.issuedAt,
    ...(key.revokedAt !== undefined && { revokedAt: key.revokedAt }),
  };
}
