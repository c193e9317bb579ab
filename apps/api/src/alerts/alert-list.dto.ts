import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  PRIORITIES,
  SLA_TARGETS,
  STATUSES,
  TIERS,
  type Priority,
  type SlaTarget,
  type Status,
  type Tier,
} from '@ledger/domain';
import { POST_MORTEM_ALERT_KINDS, TICKET_ALERT_KINDS, type Alert } from '@ledger/projections';

/** An alert (`projections/alerts/alert-list.ts`): about a ticket still worked on, or a post-mortem. */
export class AlertDto {
  @ApiProperty({ enum: [...TICKET_ALERT_KINDS, ...POST_MORTEM_ALERT_KINDS] })
  kind!: Alert['kind'];
  @ApiProperty({ format: 'date-time', description: 'When the alert began' }) since!: string;
  @ApiProperty() ticketId!: string;
  @ApiProperty({ enum: PRIORITIES }) priority!: Priority;
  @ApiProperty({ enum: TIERS }) tier!: Tier;
  @ApiPropertyOptional({ enum: STATUSES, description: 'Ticket alerts' }) status?: Status;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Ticket alerts' })
  assigneeId?: string | null;
  @ApiPropertyOptional({ format: 'date-time', description: 'Ticket alerts' })
  lastActivityAt?: string;
  @ApiPropertyOptional({
    enum: SLA_TARGETS,
    description: 'sla_breach, sla_warning: the target breached or warned about',
  })
  target?: SlaTarget;
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'post_mortem_missing: when the ticket was resolved or closed',
  })
  endedAt?: string;
  @ApiPropertyOptional({ description: 'action_overdue' }) actionId?: string;
  @ApiPropertyOptional({ description: 'action_overdue' }) owner?: string;
  @ApiPropertyOptional({ example: '2026-12-18', description: 'action_overdue' }) dueDate?: string;
}

export class IdleAlertHoursDto {
  @ApiProperty() urgent!: number;
  @ApiProperty() high!: number;
  @ApiProperty() medium!: number;
  @ApiProperty() low!: number;
}

export class AlertListDto {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({
    type: IdleAlertHoursDto,
    description: 'Per priority, the hours without activity after which a ticket is idle',
  })
  idleAlertHours!: IdleAlertHoursDto;
  @ApiProperty({ type: [AlertDto], description: 'Newest first' }) alerts!: AlertDto[];
}
