import { ApiProperty } from '@nestjs/swagger';
import { TIERS, type Tier } from '@ledger/domain';
import { TicketViewDto } from '../read-models/dto/ticket-view.dto';

export class QueuePageDto {
  @ApiProperty({ enum: TIERS }) tier!: Tier;
  @ApiProperty({ type: [TicketViewDto], description: 'In queue order' }) items!: TicketViewDto[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The cursor of the next page, sent with the same filters; null on the last page',
  })
  nextCursor!: string | null;
}
