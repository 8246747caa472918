/**
 * The JWK members that carry private or symmetric key material (RFC 7518 §6.2.2, §6.3.2, §6.4.1;
 * RFC 8037 §2): a public key — in a DPoP proof header or a registered client `jwks` — has none of them.
 */
export const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

/** The private members a JWK holds, if any. */
export const privateMembersOf = (jwk: object): string[] => PRIVATE_JWK_MEMBERS.filter((m) => m in jwk);
