import { Injectable, type PipeTransform } from '@nestjs/common';
import { ApiError } from '../http/api-error';

export const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;

@Injectable()
export class ApiKeyIdParamPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!KEY_ID.test(value)) {
      throw ApiError.validation([{ field: 'keyId', message: 'keyId must be a key id' }]);
    }
    return value;
  }
}
