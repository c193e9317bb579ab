import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ACTION_KINDS,
  ACTION_STATES,
  POST_MORTEM_TRIGGERS,
  type ActionKind,
  type ActionState,
  type PostMortemTrigger,
} from '@ledger/domain';
import { POST_MORTEM_STATES, type PostMortemState } from '@ledger/read-store';
import { ParticipantDto } from './post-mortem.dto';

export class ActionViewDto {
  @ApiProperty({ example: 'a1' }) actionId!: string;
  @ApiProperty({ enum: ACTION_KINDS }) kind!: ActionKind;
  @ApiProperty() description!: string;
  @ApiProperty() owner!: string;
  @ApiProperty({ example: '2026-12-18' }) dueDate!: string;
  @ApiProperty({ enum: ACTION_STATES }) state!: ActionState;
  @ApiProperty({ description: 'Open past its due date, as of the answer' }) overdue!: boolean;
  @ApiProperty() plannedAt!: string;
  @ApiProperty({ nullable: true, type: String }) closedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) dropReason!: string | null;
}

export class PostMortemViewDto {
  @ApiProperty() ticketId!: string;
  @ApiProperty({ enum: ['open', 'complete'] }) status!: 'open' | 'complete';
  @ApiProperty({ type: [ParticipantDto] }) participants!: ParticipantDto[];
  @ApiProperty() rootCause!: string;
  @ApiProperty() wentWell!: string;
  @ApiProperty() toImprove!: string;
  @ApiProperty() recordedAt!: string;
  @ApiProperty() amendedAt!: string;
  @ApiProperty({ type: [ActionViewDto] }) actions!: ActionViewDto[];
  @ApiProperty({ description: 'The post-mortem stream’s version, for If-Match' }) version!: number;
  @ApiProperty() at!: string;
}

export class ActionCountsDto {
  @ApiProperty() total!: number;
  @ApiProperty() open!: number;
  @ApiProperty() overdue!: number;
}

export class PostMortemListItemDto {
  @ApiProperty() ticketId!: string;
  @ApiProperty({ enum: POST_MORTEM_STATES }) state!: PostMortemState;
  @ApiProperty({ description: 'Whether POST_MORTEM_REQUIRED asks for one' }) required!: boolean;
  @ApiProperty({ enum: POST_MORTEM_TRIGGERS, isArray: true }) triggers!: PostMortemTrigger[];
  @ApiProperty() priority!: string;
  @ApiProperty() category!: string;
  @ApiProperty() escalationCount!: number;
  @ApiProperty() openedAt!: string;
  @ApiProperty({ nullable: true, type: String }) endedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) rootCause!: string | null;
  @ApiPropertyOptional({
    description: 'Missing only: 5 business days after the ticket ended, when it is alerted',
  })
  dueBy?: string;
  @ApiProperty({ type: ActionCountsDto }) actions!: ActionCountsDto;
  @ApiPropertyOptional() completedAt?: string;
}

export class PostMortemListDto {
  @ApiProperty({ enum: POST_MORTEM_STATES }) state!: PostMortemState;
  @ApiProperty({ enum: POST_MORTEM_TRIGGERS, isArray: true }) requiredBy!: PostMortemTrigger[];
  @ApiProperty() at!: string;
  @ApiProperty({ type: [PostMortemListItemDto] }) items!: PostMortemListItemDto[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as cursor for the next page' })
  nextCursor!: string | null;
}
