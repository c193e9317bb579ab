import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import { ApiError } from '../http/api-error';
import { CommandAnswers } from '../http/command-answers.decorator';
import { ErrorBodyDto } from '../http/error-body.dto';
import { IdempotentCommands } from '../idempotency/idempotent-commands';
import { Allow } from '../identity/access.decorator';
import { Command, type CommandContext } from '../tickets/command-context';
import { CustomerErasure } from './customer-erasure';
import { CustomerIdParamPipe } from './customer-id-param.pipe';

export class ErasureAnswerDto {
  @ApiProperty()
  customerId!: string;

  @ApiProperty({ format: 'date-time', description: 'When the erasure was first recorded' })
  erasedAt!: string;

  @ApiProperty({ description: 'Events in the customer stream: 1 once erased' })
  version!: number;

  @ApiProperty({
    description: 'Opaque log position of the erasure: hand it back as ?after= to read it applied',
  })
  position!: string;
}

@ApiTags('customers')
@Controller('v1/customers')
export class CustomersController {
  constructor(
    private readonly erasure: CustomerErasure,
    private readonly idempotent: IdempotentCommands,
  ) {}

  @Allow('admin')
  @Post(':customerId/erase')
  @HttpCode(200)
  @ApiParam({ name: 'customerId', description: 'The customer id tickets were opened with' })
  @ApiOperation({
    summary: 'Erase a customer',
    description:
      'Destroys the customer’s data key and records the erasure: their name and every free text about them read as "[erased]" from then on, everywhere. Erasing again records nothing.',
  })
  @ApiOkResponse({ type: ErasureAnswerDto })
  @CommandAnswers()
  @ApiBadRequestResponse({
    type: ErrorBodyDto,
    description:
      'VALIDATION_FAILED: not a customer id, a bad header, or an If-Match (an erasure is unconditional); MALFORMED_JSON',
  })
  erase(
    @Param('customerId', CustomerIdParamPipe) customerId: string,
    @Command() context: CommandContext,
  ) {
    // The data key is destroyed before the erasure is recorded, so a condition
    // refused on recording would leave the customer half erased.
    if (context.expectedVersion !== undefined) {
      throw ApiError.validation([
        { field: 'If-Match', message: 'an erasure is unconditional: send it without If-Match' },
      ]);
    }
    return this.idempotent.run(context, 200, () => this.erasure.erase(customerId, context));
  }
}
