import { ReadModelQueryDto, PageLimit } from '../read-models/dto/read-queries.dto';

export class AlertsQueryDto extends ReadModelQueryDto {
  @PageLimit(100)
  limit?: number;
}
