import { ApiProperty } from '@nestjs/swagger';
import { CHANNELS, CUSTOMER_TIERS, PRIORITIES, STATUSES, TIERS } from '@ledger/domain';

class CustomerViewDto {
  @ApiProperty() id!: string;
  @ApiProperty({ required: false }) name?: string;
  @ApiProperty({ enum: CUSTOMER_TIERS }) tier!: string;
}

class SlaTargetViewDto {
  @ApiProperty({ format: 'date-time' }) warnAt!: string;
  @ApiProperty({ format: 'date-time' }) dueAt!: string;
  @ApiProperty({ description: 'Whether the clock runs now' }) running!: boolean;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) metAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) warnedAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) breachedAt!: string | null;
}

class SlaViewDto {
  @ApiProperty() policyVersion!: number;
  @ApiProperty({ type: SlaTargetViewDto }) firstResponse!: SlaTargetViewDto;
  @ApiProperty({ type: SlaTargetViewDto }) resolution!: SlaTargetViewDto;
}

/** The ticket view (`projections/src/ticket-view/ticket-view.ts`), for the OpenAPI document. */
export class TicketViewDto {
  @ApiProperty() ticketId!: string;
  @ApiProperty() subject!: string;
  @ApiProperty({ enum: CHANNELS }) channel!: string;
  @ApiProperty({ type: CustomerViewDto }) customer!: CustomerViewDto;
  @ApiProperty() category!: string;
  @ApiProperty({ enum: PRIORITIES }) priority!: string;
  @ApiProperty({ description: 'explicit, vip, default or keyword:<word>' }) priorityReason!: string;
  @ApiProperty({ enum: STATUSES }) status!: string;
  @ApiProperty({ enum: TIERS }) tier!: string;
  @ApiProperty({ nullable: true, type: String }) assigneeId!: string | null;
  @ApiProperty() escalationCount!: number;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) resolvedAt!: string | null;
  @ApiProperty({ nullable: true, type: Number }) csat!: number | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  firstResponseDueAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  resolutionDueAt!: string | null;
  @ApiProperty({ type: SlaViewDto, nullable: true }) sla!: SlaViewDto | null;
  @ApiProperty() version!: number;
}

export class TicketPageDto {
  @ApiProperty({ type: [TicketViewDto] }) items!: TicketViewDto[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The cursor of the next page, sent with the same filters; null on the last page',
  })
  nextCursor!: string | null;
}
