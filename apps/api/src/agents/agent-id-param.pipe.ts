import { Injectable, type PipeTransform } from '@nestjs/common';
import { ApiError } from '../http/api-error';
import { AGENT_ID } from './agent.dto';

/** An agent id in a path, held to the rule a registration is. */
@Injectable()
export class AgentIdParamPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!AGENT_ID.test(value)) {
      throw ApiError.validation([{ field: 'id', message: 'id must be an agent id' }]);
    }
    return value;
  }
}
