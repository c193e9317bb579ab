import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { ESCALATION_REASONS, TIERS } from '@ledger/domain';
import { KPI_GROUPINGS, type KpiGrouping } from '@ledger/projections';

/** An object holding a number under each of `keys`. */
function numbersBy(keys: readonly string[], description: string): ApiPropertyOptions {
  return {
    type: 'object',
    properties: Object.fromEntries(keys.map((key) => [key, { type: 'number' }])),
    required: [...keys],
    description,
  };
}

class DurationSummaryDto {
  @ApiProperty() count!: number;
  @ApiProperty({ nullable: true, type: Number }) mean!: number | null;
  @ApiProperty({ nullable: true, type: Number }) p50!: number | null;
  @ApiProperty({ nullable: true, type: Number }) p90!: number | null;
}

class SatisfactionSummaryDto {
  @ApiProperty() count!: number;
  @ApiProperty({ nullable: true, type: Number }) mean!: number | null;
  @ApiProperty({ description: 'In %' }) satisfiedPct!: number;
}

class CsatDto {
  @ApiProperty({ type: SatisfactionSummaryDto }) escalated!: SatisfactionSummaryDto;
  @ApiProperty({ type: SatisfactionSummaryDto }) notEscalated!: SatisfactionSummaryDto;
}

class SlaComplianceDto {
  @ApiProperty({ description: 'In %' }) firstResponse!: number;
  @ApiProperty({ description: 'In %' }) resolution!: number;
}

class PostMortemMetricsDto {
  @ApiProperty({ description: 'Ended tickets POST_MORTEM_REQUIRED asks a post-mortem of' })
  required!: number;
  @ApiProperty({ description: 'Of those, the ones with a post-mortem recorded' }) covered!: number;
  @ApiProperty() actionsDone!: number;
  @ApiProperty({ description: 'Done before the end (UTC) of their due date' })
  actionsDoneOnTime!: number;
  @ApiProperty() overdueActions!: number;
  @ApiProperty({ description: 'Escalated after a post-mortem on their root cause was complete' })
  repeatEscalations!: number;
  @ApiProperty({ description: 'covered / required, in %' }) coverage!: number;
  @ApiProperty({ description: 'actionsDoneOnTime / actionsDone, in %' })
  actionsOnTimeRate!: number;
}

/** The KPI table of a set of tickets (`EscalationMetrics`, docs/kpis.md), for the OpenAPI document. */
class EscalationMetricsDto {
  @ApiProperty() ticketsOpened!: number;
  @ApiProperty() ticketsEscalated!: number;
  @ApiProperty({ description: 'In %' }) escalationRate!: number;
  @ApiProperty({ description: 'In %' }) reEscalationRate!: number;
  @ApiProperty({ type: DurationSummaryDto, description: 'Minutes' })
  escalationToResolution!: DurationSummaryDto;
  @ApiProperty(numbersBy(TIERS, 'Tickets resolved at each tier'))
  resolvedByTier!: Record<string, number>;
  @ApiProperty({ description: 'In %' }) firstContactResolutionRate!: number;
  @ApiProperty({ description: 'In %' }) unnecessaryEscalationRate!: number;
  @ApiProperty(numbersBy(ESCALATION_REASONS, 'Escalations per reason'))
  escalationsByReason!: Record<string, number>;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    description: 'Escalations per root cause, most first',
  })
  escalationsByRootCause!: Record<string, number>;
  @ApiProperty({ type: CsatDto }) csat!: CsatDto;
  @ApiProperty(numbersBy(TIERS, 'Minutes spent at each tier'))
  tierDwellMinutes!: Record<string, number>;
  @ApiProperty({ description: 'In %' }) slaBreachRate!: number;
  @ApiProperty({ type: SlaComplianceDto }) slaCompliance!: SlaComplianceDto;
  @ApiProperty() autoEscalations!: number;
  @ApiProperty() manualEscalations!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Minutes' })
  meanTimeToFirstResponse!: number | null;
  @ApiProperty({ type: PostMortemMetricsDto }) postMortems!: PostMortemMetricsDto;
}

class EscalationKpiGroupDto extends EscalationMetricsDto {
  @ApiProperty({ description: 'The value of groupBy the group shares' }) key!: string;
}

export class EscalationKpiReportDto {
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) from!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) to!: string | null;
  @ApiPropertyOptional({ enum: KPI_GROUPINGS }) groupBy?: KpiGrouping;
  @ApiProperty({ type: EscalationMetricsDto }) totals!: EscalationMetricsDto;
  @ApiProperty({ type: [EscalationKpiGroupDto] }) groups!: EscalationKpiGroupDto[];
}
