import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES } from '@ledger/domain';

/** One event of a ticket's history (`tickets/ticket-history.ts`), for the OpenAPI document. */
export class HistoryEntryDto {
  @ApiProperty({ example: 'TicketEscalated' }) type!: string;
  @ApiProperty({ description: 'The ticket’s version once this event is in it: 1 for the first' })
  version!: number;
  @ApiProperty({ description: 'The event’s place in the whole log' }) position!: string;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({
    description: 'Who caused it: an agent’s id, `key:<keyId>`, a token’s subject, or `automation`',
  })
  actor!: string;
  @ApiPropertyOptional({
    enum: ROLES,
    isArray: true,
    description: 'The roles the actor held; absent on events recorded before roles were',
  })
  actorRoles?: string[];
  @ApiPropertyOptional({ description: 'Which part of the automation decided, for `automation`' })
  automation?: string;
  @ApiProperty() correlationId!: string;
  @ApiProperty() causationId!: string;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty() schemaVersion!: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'What happened: its fields depend on the type',
  })
  data!: Record<string, unknown>;
}

export class TicketHistoryDto {
  @ApiProperty() ticketId!: string;
  @ApiProperty({ type: [HistoryEntryDto] }) events!: HistoryEntryDto[];
  @ApiPropertyOptional({ description: 'The after of the next page; absent on the last page' })
  next?: number;
}
