import type { DecodedJwt, Exchange } from '../../common/lab-events';
import { headerValue } from './body-format';
import { decodeToken } from './jwt-decode';
import type { MergedExchange } from './diagram-model';

/**
 * Every JWT of an exchange: the ones the server decoded (and verified), plus any the client's view
 * holds that the server did not list — decoded here, signature unchecked.
 */
export function jwtsOfExchange(merged: MergedExchange): DecodedJwt[] {
  // The server's decoding first: it verified the signatures.
  const found: DecodedJwt[] = [];
  const seen = new Set<string>();
  for (const j of [...(merged.server?.jwts ?? []), ...(merged.client?.jwts ?? [])]) {
    if (seen.has(j.raw)) continue;
    seen.add(j.raw);
    found.push(j);
  }
  const view = merged.client ?? merged.server;
  if (view) {
    for (const candidate of findJwts(view)) {
      if (seen.has(candidate.raw)) continue;
      seen.add(candidate.raw);
      found.push(candidate);
    }
  }
  return found;
}

function decoded(location: string, kind: DecodedJwt['kind'], raw: string): DecodedJwt | null {
  const d = decodeToken(raw);
  if (d.form !== 'jws') return null;
  return { location, kind, raw: d.raw, header: d.header, payload: d.payload, signature: { verified: null } };
}

/** Where the lab's exchanges carry JWTs (RFC 9449 §4.1, RFC 7523 §2.2, RFC 6749 §5.1, RP-Initiated Logout §2). */
export function findJwts(exchange: Exchange): DecodedJwt[] {
  const out: DecodedJwt[] = [];
  const push = (j: DecodedJwt | null) => {
    if (j) out.push(j);
  };
  const dpop = headerValue(exchange.requestHeaders, 'dpop');
  if (dpop) push(decoded('request.header.DPoP', 'dpop_proof', dpop));
  const authorization = headerValue(exchange.requestHeaders, 'authorization');
  const token = authorization?.match(/^(?:DPoP|Bearer)\s+(\S+)$/i)?.[1];
  if (token) push(decoded('request.header.Authorization', 'access_token', token));
  if (exchange.requestBody && !exchange.requestBody.trim().startsWith('{')) {
    const form = new URLSearchParams(exchange.requestBody);
    const assertion = form.get('client_assertion');
    if (assertion) push(decoded('request.form.client_assertion', 'client_assertion', assertion));
    const hint = form.get('id_token_hint');
    if (hint) push(decoded('request.form.id_token_hint', 'id_token_hint', hint));
  }
  try {
    const hint = new URL(exchange.url).searchParams.get('id_token_hint');
    if (hint) push(decoded('request.query.id_token_hint', 'id_token_hint', hint));
  } catch {
    // not an absolute URL
  }
  if (exchange.responseBody?.trim().startsWith('{')) {
    try {
      const json = JSON.parse(exchange.responseBody) as Record<string, unknown>;
      if (typeof json.access_token === 'string')
        push(decoded('response.json.access_token', 'access_token', json.access_token));
      if (typeof json.id_token === 'string')
        push(decoded('response.json.id_token', 'id_token', json.id_token));
    } catch {
      // not JSON
    }
  }
  return out;
}
