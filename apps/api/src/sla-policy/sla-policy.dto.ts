import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { BusinessCalendar, SlaPolicy, SlaTargets, Weekday } from '@ledger/domain';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

const TIME_OF_DAY = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;

export class SlaTargetsDto {
  @ApiProperty({ description: 'Minutes of business time from opening to the first assignment' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.001)
  firstResponseMinutes!: number;

  @ApiProperty({ description: 'Minutes of business time to resolution, pending excluded' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.001)
  resolutionMinutes!: number;
}

/** A required nested object; ValidateNested alone would let an array through. */
function NestedObject(type: () => new () => object) {
  return applyDecorators(
    IsDefined(),
    IsObject({ message: '$property must be an object' }),
    ValidateNested(),
    Type(type),
  );
}

export class SlaTargetsByPriorityDto {
  @ApiProperty({ type: SlaTargetsDto })
  @NestedObject(() => SlaTargetsDto)
  urgent!: SlaTargetsDto;

  @ApiProperty({ type: SlaTargetsDto })
  @NestedObject(() => SlaTargetsDto)
  high!: SlaTargetsDto;

  @ApiProperty({ type: SlaTargetsDto })
  @NestedObject(() => SlaTargetsDto)
  medium!: SlaTargetsDto;

  @ApiProperty({ type: SlaTargetsDto })
  @NestedObject(() => SlaTargetsDto)
  low!: SlaTargetsDto;
}

export class OpeningHoursDto {
  @ApiProperty({ minimum: 0, maximum: 6, description: '0 is Sunday' })
  @IsInt()
  @Min(0)
  @Max(6)
  day!: number;

  @ApiProperty({ example: '09:00' })
  @IsString()
  @Matches(TIME_OF_DAY, { message: 'opens must be a time of day HH:MM' })
  opens!: string;

  @ApiProperty({ example: '17:00', description: 'After opens; 24:00 allowed' })
  @IsString()
  @Matches(TIME_OF_DAY, { message: 'closes must be a time of day HH:MM' })
  closes!: string;
}

export class BusinessCalendarDto {
  @ApiProperty({ example: 'Europe/Paris' })
  @IsString()
  @MaxLength(100)
  timeZone!: string;

  @ApiProperty({ type: [OpeningHoursDto], description: 'Weekly opening hours, local to timeZone' })
  @IsArray()
  @ArrayMaxSize(7 * 24)
  @ValidateNested({ each: true })
  @Type(() => OpeningHoursDto)
  hours!: OpeningHoursDto[];

  @ApiPropertyOptional({ type: [String], example: ['2026-12-25'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { each: true, message: 'holidays must be dates YYYY-MM-DD' })
  holidays?: string[];
}

export class SlaPolicyDto {
  @ApiProperty({ type: SlaTargetsByPriorityDto })
  @NestedObject(() => SlaTargetsByPriorityDto)
  targets!: SlaTargetsByPriorityDto;

  @ApiPropertyOptional({
    default: 0.8,
    description: 'Share of a target after which a warning is due',
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.01)
  @Max(0.99)
  warnAt?: number;

  @ApiPropertyOptional({ type: BusinessCalendarDto, description: 'Around the clock when absent' })
  @IsOptional()
  @IsObject({ message: 'calendar must be an object' })
  @ValidateNested()
  @Type(() => BusinessCalendarDto)
  calendar?: BusinessCalendarDto;
}

export function toSlaPolicy(dto: SlaPolicyDto): SlaPolicy {
  const targets = (priority: keyof SlaTargetsByPriorityDto): SlaTargets => ({
    firstResponseMinutes: dto.targets[priority].firstResponseMinutes,
    resolutionMinutes: dto.targets[priority].resolutionMinutes,
  });
  return {
    targets: {
      urgent: targets('urgent'),
      high: targets('high'),
      medium: targets('medium'),
      low: targets('low'),
    },
    warnAt: dto.warnAt ?? 0.8,
    ...(dto.calendar && { calendar: toCalendar(dto.calendar) }),
  };
}

/** Plain data, not the request's class instances: what the event records. */
function toCalendar(dto: BusinessCalendarDto): BusinessCalendar {
  return {
    timeZone: dto.timeZone,
    hours: dto.hours.map(({ day, opens, closes }) => ({ day: day as Weekday, opens, closes })),
    holidays: dto.holidays ?? [],
  };
}
