/** FAPI 2.0 SP §5.4.1: the only signing algorithms of the profile (ID tokens, assertions, DPoP proofs). */
export const FAPI_SIGNING_ALGS: readonly string[] = ['PS256', 'ES256', 'EdDSA'];
