import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../identity/access.decorator';

@ApiTags('health')
@Controller('health')
export class HealthController {
  /** Routes are served only once the stores are open and the projections have caught up. */
  @Public()
  @Get()
  health() {
    return { status: 'ok' };
  }
}
