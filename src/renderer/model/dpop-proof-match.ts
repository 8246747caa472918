import { base64url, calculateJwkThumbprint, type JWK } from 'jose';

/**
 * Shows a DPoP proof against the request it travelled with, claim by claim (RFC 9449 §4.3): the
 * inspector's own reading, independent of the server's checks, so a trainer can see *why* a proof
 * fits its request. `matched: null` means the comparison does not apply to this request.
 */
export interface ProofComparison {
  claim: 'typ' | 'htm' | 'htu' | 'iat' | 'jti' | 'ath' | 'jkt';
  ref: string;
  expected: string;
  actual: string;
  matched: boolean | null;
  note?: string;
}

export interface ProofRequest {
  method: string;
  url: string;
  /** When the request was sent (ms since the epoch, lab clock). */
  sentAt: number;
  /** The access token presented with `Authorization: DPoP …`, if any. */
  accessToken?: string;
  /** The `cnf.jkt` the access token is bound to, when known (RFC 9449 §6.1). */
  boundJkt?: string;
  /** jti values of other proofs seen in the lab session (replay, RFC 9449 §11.1). */
  otherJtis?: ReadonlySet<string>;
}

/** How far `iat` may be from the time of the request: 60 s back, 10 s ahead (FAPI 2.0 SP §5.3.2.1). */
export const IAT_PAST_SECONDS = 60;
export const IAT_FUTURE_SECONDS = 10;

/** htu without query and fragment, scheme and host lower-cased, default port dropped (RFC 9449 §4.3 (9)). */
export function normaliseHtu(url: string): string | null {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return null;
  }
}

/** base64url(SHA-256(ASCII(access token))) (RFC 9449 §4.2, `ath`). */
export async function accessTokenHash(accessToken: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(accessToken));
  return base64url.encode(new Uint8Array(digest));
}

/** The access token of an `Authorization: DPoP <token>` (or Bearer) header value. */
export function accessTokenFromAuthorization(value: string | undefined): string | undefined {
  const m = value?.match(/^\s*(?:DPoP|Bearer)\s+(\S+)\s*$/i);
  return m?.[1];
}

function str(value: unknown): string {
  if (value === undefined) return '(absent)';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export async function compareProofWithRequest(
  proof: { header: Record<string, unknown>; payload: Record<string, unknown> },
  request: ProofRequest,
): Promise<ProofComparison[]> {
  const { header, payload } = proof;
  const out: ProofComparison[] = [];

  out.push({
    claim: 'typ',
    ref: 'RFC 9449 §4.3 (4)',
    expected: 'dpop+jwt',
    actual: str(header.typ),
    matched: header.typ === 'dpop+jwt',
  });

  out.push({
    claim: 'htm',
    ref: 'RFC 9449 §4.3 (8)',
    expected: request.method.toUpperCase(),
    actual: str(payload.htm),
    // The method is compared exactly: HTTP methods are case-sensitive (RFC 9110 §9.1).
    matched: payload.htm === request.method.toUpperCase(),
  });

  const expectedHtu = normaliseHtu(request.url);
  const actualHtu = typeof payload.htu === 'string' ? normaliseHtu(payload.htu) : null;
  out.push({
    claim: 'htu',
    ref: 'RFC 9449 §4.3 (9)',
    expected: expectedHtu ?? request.url,
    actual: str(payload.htu),
    matched: expectedHtu !== null && actualHtu !== null && expectedHtu === actualHtu,
    note: 'compared without query and fragment, scheme and host case-insensitive, default port ignored',
  });

  const sentAtSeconds = Math.floor(request.sentAt / 1000);
  const iat = payload.iat;
  let iatMatched = false;
  let iatNote = 'missing or not a number';
  if (typeof iat === 'number') {
    const delta = iat - sentAtSeconds;
    iatMatched = delta >= -IAT_PAST_SECONDS && delta <= IAT_FUTURE_SECONDS;
    iatNote = `${delta >= 0 ? '+' : ''}${delta} s from the request time (accepted: −${IAT_PAST_SECONDS} s … +${IAT_FUTURE_SECONDS} s)`;
  }
  out.push({
    claim: 'iat',
    ref: 'RFC 9449 §4.3 (11)',
    expected: `≈ ${sentAtSeconds}`,
    actual: str(iat),
    matched: iatMatched,
    note: iatNote,
  });

  const jti = payload.jti;
  const jtiPresent = typeof jti === 'string' && jti.length > 0;
  const replayed = jtiPresent && request.otherJtis?.has(jti) === true;
  out.push({
    claim: 'jti',
    ref: 'RFC 9449 §4.3 (3), §11.1',
    expected: 'a unique value',
    actual: str(jti),
    matched: jtiPresent && !replayed,
    note: replayed ? 'this jti was already used by another proof (replay)' : undefined,
  });

  if (request.accessToken) {
    const expectedAth = await accessTokenHash(request.accessToken);
    out.push({
      claim: 'ath',
      ref: 'RFC 9449 §4.3 (12), §4.2',
      expected: expectedAth,
      actual: str(payload.ath),
      matched: payload.ath === expectedAth,
      note: 'base64url SHA-256 of the access token sent in Authorization',
    });
  } else {
    out.push({
      claim: 'ath',
      ref: 'RFC 9449 §4.2',
      expected: '(none: no access token on this request)',
      actual: str(payload.ath),
      matched: payload.ath === undefined ? null : false,
    });
  }

  if (request.boundJkt !== undefined) {
    const jwk = header.jwk;
    let thumbprint = '(no jwk in the header)';
    if (typeof jwk === 'object' && jwk !== null) {
      try {
        thumbprint = await calculateJwkThumbprint(jwk as JWK, 'sha256');
      } catch {
        thumbprint = '(jwk cannot be thumbprinted)';
      }
    }
    out.push({
      claim: 'jkt',
      ref: 'RFC 9449 §4.3 (12), §6.1',
      expected: request.boundJkt,
      actual: thumbprint,
      matched: thumbprint === request.boundJkt,
      note: 'thumbprint of the proof key vs the cnf.jkt of the access token',
    });
  }
  return out;
}
