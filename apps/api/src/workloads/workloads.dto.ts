import { ApiProperty } from '@nestjs/swagger';
import { TIERS, type Tier } from '@ledger/domain';

export class AgentWorkloadDto {
  @ApiProperty() agentId!: string;
  @ApiProperty({ description: 'Tickets assigned to the agent and still worked on' }) open!: number;
}

/** A tier's workload (`TierWorkload` of the read store), for the OpenAPI document. */
export class TierWorkloadDto {
  @ApiProperty({ enum: TIERS }) tier!: Tier;
  @ApiProperty() open!: number;
  @ApiProperty() unassigned!: number;
  @ApiProperty() pending!: number;
  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  oldestOpenedAt!: string | null;
  @ApiProperty({ type: [AgentWorkloadDto] }) agents!: AgentWorkloadDto[];
}

export class WorkloadsDto {
  @ApiProperty({ type: [TierWorkloadDto], description: 'In ladder order' })
  tiers!: TierWorkloadDto[];
}
