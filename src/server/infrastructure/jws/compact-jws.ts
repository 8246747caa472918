import { constants, sign as cryptoSign, verify as cryptoVerify, KeyObject } from 'node:crypto';

/**
 * Compact JWS (RFC 7515 §7.1) signed and verified synchronously with node:crypto and cached
 * KeyObjects. WebCrypto (which jose uses) dispatches every signature onto the libuv threadpool; on the
 * token and resource hot paths that dispatch costs more CPU than the signature itself.
 *
 * Only the asymmetric algorithms the lab signs or accepts (RFC 7518 §3.3–3.5, RFC 8037 §3.1). Every
 * malformed input throws a JwsError; nothing here throws anything else.
 */

export type JwsAlg = 'ES256' | 'PS256' | 'RS256' | 'EdDSA';

export const JWS_ALGS: readonly JwsAlg[] = ['ES256', 'PS256', 'RS256', 'EdDSA'];

export class JwsError extends Error {
  override readonly name = 'JwsError';
}

/** The one JwsError that depends on the key: the signature does not verify with it. */
export class JwsSignatureError extends JwsError {
  constructor() {
    super('the JWS signature does not verify');
  }
}

export const isJwsAlg = (alg: unknown): alg is JwsAlg =>
  typeof alg === 'string' && (JWS_ALGS as string[]).includes(alg);

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * RFC 7515 §2 / RFC 4648 §5 without padding, canonical only: no `=`, no whitespace, no character
 * outside the URL-safe alphabet, no impossible length, no set bits past the last byte.
 */
export function decodeBase64urlStrict(value: string, label: string): Buffer {
  const rest = value.length % 4;
  if (!BASE64URL.test(value) || rest === 1) throw new JwsError(`the ${label} is not base64url`);
  if (rest !== 0) {
    const last = ALPHABET.indexOf(value[value.length - 1] as string);
    const unused = rest === 2 ? 0x0f : 0x03;
    if ((last & unused) !== 0) throw new JwsError(`the ${label} is not canonical base64url`);
  }
  return Buffer.from(value, 'base64url');
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function parseHeader(encoded: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(strictUtf8.decode(decodeBase64urlStrict(encoded, 'protected header')));
  } catch {
    throw new JwsError('the JWS protected header is invalid');
  }
  if (!isPlainObject(parsed)) throw new JwsError('the JWS protected header is not a JSON object');
  return parsed;
}

/**
 * RFC 7515 §4.1.11, as jose checks it: `crit` is a non-empty array of non-empty strings, each an
 * extension understood here (only `b64`, RFC 7797) and present; `b64` listed in crit is a boolean.
 */
function checkCrit(header: Record<string, unknown>): void {
  const { crit } = header;
  if (crit === undefined) return;
  if (
    !Array.isArray(crit) ||
    crit.length === 0 ||
    crit.some((p) => typeof p !== 'string' || p.length === 0)
  ) {
    throw new JwsError('crit must be an array of non-empty strings');
  }
  for (const parameter of crit as string[]) {
    if (parameter !== 'b64') throw new JwsError(`extension ${parameter} is not recognized`);
    if (!Object.hasOwn(header, parameter) || header[parameter] === undefined) {
      throw new JwsError(`extension ${parameter} is missing`);
    }
  }
  if (typeof header.b64 !== 'boolean') throw new JwsError('b64 must be a boolean');
}

/** The key fits the algorithm (RFC 7518 §3.3–3.5, RFC 8037; RSA at least 2048 bits as in RFC 7518 §3.3). */
function checkKey(key: KeyObject, alg: JwsAlg, type: 'public' | 'private'): void {
  if (key === null || typeof key !== 'object' || key.type !== type) {
    throw new JwsError(`a ${type} key is required`);
  }
  const kind = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails ?? {};
  const fits =
    alg === 'ES256'
      ? kind === 'ec' && details.namedCurve === 'prime256v1'
      : alg === 'EdDSA'
        ? kind === 'ed25519'
        : kind === 'rsa' && typeof details.modulusLength === 'number' && details.modulusLength >= 2048;
  if (!fits) throw new JwsError(`the key does not fit ${alg}`);
}

function signatureParameters(alg: JwsAlg, key: KeyObject) {
  switch (alg) {
    case 'ES256':
      return { digest: 'sha256', key: { key, dsaEncoding: 'ieee-p1363' as const } };
    case 'PS256':
      return {
        digest: 'sha256',
        key: { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
      };
    case 'RS256':
      return { digest: 'sha256', key: { key, padding: constants.RSA_PKCS1_PADDING } };
    case 'EdDSA':
      return { digest: null, key: { key } };
  }
}

export interface VerifiedJws {
  readonly header: Record<string, unknown>;
  /** The payload bytes (base64url-decoded unless the header says b64: false, with b64 in crit). */
  readonly payload: Buffer;
  /** False for an unencoded payload (RFC 7797). */
  readonly b64: boolean;
}

/** A compact JWS split in three, its protected header parsed (decodeCompactJwsHeader, decodeCompactJwt). */
export interface DecodedCompactJws {
  readonly header: Record<string, unknown>;
  readonly parts: readonly [string, string, string];
}

/** RFC 7515 §7.1: three base64url parts separated by dots; throws a JwsError. */
function splitCompact(value: unknown, what: string): [string, string, string] {
  if (typeof value !== 'string') throw new JwsError(`${what} must be a string`);
  const parts = value.split('.');
  if (parts.length !== 3) throw new JwsError(`${what} in the compact serialization has three parts`);
  return parts as [string, string, string];
}

/**
 * The protected header of a compact JWS, parsed strictly, with its `crit` checked, and the three
 * parts; throws a JwsError. For a caller that must see the header (its `alg`, `kid`) to find the key.
 */
export function decodeCompactJwsHeader(jws: string): DecodedCompactJws {
  const parts = splitCompact(jws, 'a compact JWS');
  const header = parseHeader(parts[0]);
  checkCrit(header);
  return { header, parts };
}

/**
 * The protected header and the claims of a JWT in the compact JWS serialization, before any signature
 * check (RFC 7519 §7.2 steps 1–10): three parts, header and payload strict base64url of UTF-8 JSON
 * objects. Throws a JwsError. For the well-formedness checks that read claims before the key is known;
 * `crit` is left to verifyCompactJwsSync, as jose's decodeJwt left it to its verify, which takes the
 * result as it is (the header is not parsed twice).
 */
export function decodeCompactJwt(jwt: unknown): DecodedCompactJws & { payload: Record<string, unknown> } {
  const parts = splitCompact(jwt, 'a JWT');
  const header = parseHeader(parts[0]);
  let payload: unknown;
  try {
    payload = JSON.parse(strictUtf8.decode(decodeBase64urlStrict(parts[1], 'payload')));
  } catch {
    throw new JwsError('the JWT claims set is invalid');
  }
  if (!isPlainObject(payload)) throw new JwsError('the JWT claims set is not a JSON object');
  return { header, parts, payload };
}

/**
 * Verifies a compact JWS whose header `alg` is `alg`, with `key` (a public KeyObject): given as it
 * was received, or as decodeCompactJwt returned it. Throws a JwsError when the JWS is malformed, names
 * another algorithm, the key does not fit, or the signature does not verify.
 */
export function verifyCompactJwsSync(
  jws: string | DecodedCompactJws,
  key: KeyObject,
  alg: string,
): VerifiedJws {
  if (!isJwsAlg(alg)) throw new JwsError(`alg ${String(alg)} is not supported`);
  // A JWT decodeCompactJwt decoded has its crit checked here; anything else is decoded first (a
  // value that is not a string is refused there).
  const isDecoded = typeof jws === 'object' && jws !== null;
  if (isDecoded) checkCrit(jws.header);
  const { header, parts } = isDecoded ? jws : decodeCompactJwsHeader(jws);
  const [encodedHeader, encodedPayload, encodedSignature] = parts;
  if (header.alg !== alg) throw new JwsError('the JWS alg is not the expected one');
  // RFC 7797 §3: b64 counts only when listed in crit. §5.2: an unencoded payload in the compact form
  // is still ASCII without '.'.
  const b64 = !(Array.isArray(header.crit) && header.crit.includes('b64') && header.b64 === false);
  let payload: Buffer;
  if (b64) {
    payload = decodeBase64urlStrict(encodedPayload, 'payload');
  } else {
    // eslint-disable-next-line no-control-regex
    if (!/^[\x00-\x7f]*$/.test(encodedPayload)) throw new JwsError('the JWS payload is not ASCII');
    payload = Buffer.from(encodedPayload, 'ascii');
  }
  const signature = decodeBase64urlStrict(encodedSignature, 'signature');
  checkKey(key, alg, 'public');
  // ES256 (RFC 7518 §3.4): R || S, 32 octets each.
  if (alg === 'ES256' && signature.length !== 64) throw new JwsSignatureError();
  const signingInput = Buffer.from(`${encodedHeader}.${encodedPayload}`, 'ascii');
  const { digest, key: keyParameters } = signatureParameters(alg, key);
  let valid = false;
  try {
    valid = cryptoVerify(digest, signingInput, keyParameters, signature);
  } catch {
    valid = false;
  }
  if (!valid) throw new JwsSignatureError();
  return { header, payload, b64 };
}

/**
 * Signs `payload` (a JSON object, serialized with JSON.stringify) under `header` (whose `alg` must be
 * `alg`) with `key` (a private KeyObject), in the compact serialization.
 */
export function signCompactJwsSync(
  header: Readonly<Record<string, unknown>>,
  payload: Readonly<Record<string, unknown>>,
  key: KeyObject,
  alg: string,
): string {
  if (!isJwsAlg(alg)) throw new JwsError(`alg ${String(alg)} is not supported`);
  if (!isPlainObject(header) || header.alg !== alg)
    throw new JwsError('the header alg must be the alg signed with');
  if (header.crit !== undefined || header.b64 !== undefined)
    throw new JwsError('JWS extensions are not supported');
  if (!isPlainObject(payload)) throw new JwsError('the payload must be a JSON object');
  checkKey(key, alg, 'private');
  let signingInput: string;
  try {
    signingInput = `${Buffer.from(JSON.stringify(header), 'utf8').toString('base64url')}.${Buffer.from(
      JSON.stringify(payload),
      'utf8',
    ).toString('base64url')}`;
  } catch {
    throw new JwsError('the header or payload is not JSON');
  }
  const { digest, key: keyParameters } = signatureParameters(alg, key);
  let signature: Buffer;
  try {
    signature = cryptoSign(digest, Buffer.from(signingInput, 'ascii'), keyParameters);
  } catch {
    throw new JwsError('the key cannot sign');
  }
  return `${signingInput}.${signature.toString('base64url')}`;
}

const WEBCRYPTO_ALGORITHM: Record<JwsAlg, { name: string; hash?: string; namedCurve?: string }> = {
  ES256: { name: 'ECDSA', namedCurve: 'P-256' },
  PS256: { name: 'RSA-PSS', hash: 'SHA-256' },
  RS256: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
  EdDSA: { name: 'Ed25519' },
};

/**
 * The KeyObject of a CryptoKey (the same key, no copy), after the checks jose makes on a CryptoKey
 * before using it for `alg`: the type, the algorithm it was imported for (an RSA-PSS key is not used
 * for RS256), and the usage. Throws a JwsError.
 */
export function keyObjectOf(key: CryptoKey, alg: string, usage: 'sign' | 'verify'): KeyObject {
  if (!isJwsAlg(alg)) throw new JwsError(`alg ${String(alg)} is not supported`);
  if (!(key instanceof CryptoKey)) throw new JwsError('a CryptoKey is required');
  const expected = WEBCRYPTO_ALGORITHM[alg];
  const algorithm = key.algorithm as { name: string; hash?: { name: string }; namedCurve?: string };
  const fits =
    key.type === (usage === 'sign' ? 'private' : 'public') &&
    key.usages.includes(usage) &&
    algorithm.name === expected.name &&
    (expected.hash === undefined || algorithm.hash?.name === expected.hash) &&
    (expected.namedCurve === undefined || algorithm.namedCurve === expected.namedCurve);
  if (!fits) throw new JwsError(`the key cannot ${usage} with ${alg}`);
  return KeyObject.from(key);
}
