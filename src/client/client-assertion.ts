import type { JWK } from 'jose';
import type { ClientClock } from './clock';
import { signCompactJws, toPrivateCryptoKey, type PrivateKeyInput, type SigningAlg } from './jws-sign';
import { applyOverrides, type ClaimOverrides } from './overrides';
import { generateJti } from './random';

/** RFC 7523 §2.2 / RFC 7521 §4.2: the value of `client_assertion_type` for a JWT. */
export const clientAssertionType = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export interface ClientAssertionOptions {
  clientId: string;
  /**
   * The `aud`. FAPI 2.0 SP §5.3.2.1: the issuer identifier, as a single string. An array can be
   * forged through `payloadOverrides`.
   */
  audience: string;
  /** The private key: a private JWK (its `kid` and `alg` are used when present) or a WebCrypto key. */
  privateJwk?: JWK;
  key?: CryptoKey;
  alg?: SigningAlg;
  kid?: string;
  lifetimeSeconds?: number;
  /** Seconds since the epoch; defaults to the clock's. */
  now?: number;
  clock?: ClientClock;
  jti?: string;
  headerOverrides?: ClaimOverrides;
  payloadOverrides?: ClaimOverrides;
}

/**
 * A client assertion for private_key_jwt (RFC 7523 §3, OpenID Connect Core §9): `iss` = `sub` =
 * client_id, `aud`, `exp`, `iat`, a fresh `jti`, signed with the client's private key.
 */
export async function createClientAssertion(options: ClientAssertionOptions): Promise<string> {
  const keyInput: PrivateKeyInput | undefined = options.key ?? options.privateJwk;
  if (!keyInput) throw new TypeError('createClientAssertion needs privateJwk or key');
  const alg = options.alg ?? (options.privateJwk?.alg as SigningAlg | undefined);
  if (!alg) throw new TypeError('createClientAssertion needs alg (or a privateJwk with alg)');
  const key = await toPrivateCryptoKey(keyInput, alg);
  const kid = options.kid ?? options.privateJwk?.kid;

  const header: Record<string, unknown> = { alg, typ: 'JWT' };
  if (kid !== undefined) header.kid = kid;
  const now = options.now ?? options.clock?.epochSeconds() ?? Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = {
    // RFC 7523 §3 (1), (2): the client is both issuer and subject.
    iss: options.clientId,
    sub: options.clientId,
    // RFC 7523 §3 (3)
    aud: options.audience,
    // RFC 7523 §3 (4): short-lived, 60 s by default.
    exp: now + (options.lifetimeSeconds ?? 60),
    iat: now,
    // RFC 7523 §3 (7): a unique identifier, so that the server can refuse a replay.
    jti: options.jti ?? generateJti(),
  };
  return signCompactJws(
    applyOverrides(header, options.headerOverrides),
    applyOverrides(payload, options.payloadOverrides),
    key,
    alg,
  );
}
