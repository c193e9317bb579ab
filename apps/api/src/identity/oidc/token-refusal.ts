import { errors } from 'jose';
import { InvalidTokenError } from './invalid-token.error';

function claimReason(claim: string, reason: string): string {
  switch (claim) {
    case 'nbf':
      return 'not yet valid';
    case 'iss':
      return 'wrong issuer';
    case 'aud':
      return 'wrong audience';
    default:
      return reason === 'missing' ? `missing ${claim} claim` : `invalid ${claim} claim`;
  }
}

/**
 * Any failure of a verification as an InvalidTokenError. jose's own errors are
 * not kept as the cause: claim errors carry the token's payload.
 */
export function refusal(error: unknown): InvalidTokenError {
  if (error instanceof InvalidTokenError) {
    return error;
  }
  if (error instanceof errors.JWTExpired) {
    return new InvalidTokenError('expired');
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    return new InvalidTokenError(claimReason(error.claim, error.reason));
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return new InvalidTokenError('algorithm not allowed');
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new InvalidTokenError('bad signature');
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return new InvalidTokenError('no key of the issuer matches');
  }
  if (error instanceof errors.JWKSMultipleMatchingKeys) {
    return new InvalidTokenError('several keys of the issuer match');
  }
  if (error instanceof errors.JWKSTimeout) {
    return new InvalidTokenError('key set timed out');
  }
  if (
    error instanceof errors.JWSInvalid ||
    error instanceof errors.JWTInvalid ||
    error instanceof errors.JOSENotSupported
  ) {
    return new InvalidTokenError('malformed token');
  }
  // What is left is reaching the key set: refused connection, an answer other than 200, not JSON.
  return new InvalidTokenError('key set unavailable', { cause: error });
}
