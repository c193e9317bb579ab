export { InvalidTokenError } from './invalid-token.error';
export {
  ALLOWED_ALGORITHMS,
  DEFAULT_OIDC_TIMING,
  OidcTokenVerifier,
  type OidcVerifierTiming,
} from './oidc-token-verifier';
export type { TokenPrincipal } from './token-principal';
