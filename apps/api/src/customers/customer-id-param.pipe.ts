import { Injectable, type PipeTransform } from '@nestjs/common';
import { ApiError } from '../http/api-error';
import { readsAsStored } from '../http/text-rules';

/** A customer id in a path, held to the rule an opening's `customer.id` is. */
@Injectable()
export class CustomerIdParamPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    const length = [...value].length;
    if (length < 1 || length > 100 || !readsAsStored(value)) {
      throw ApiError.validation([
        {
          field: 'customerId',
          message:
            'customerId must be a customer id: 1 to 100 characters, not blank, without bidirectional controls',
        },
      ]);
    }
    return value;
  }
}
