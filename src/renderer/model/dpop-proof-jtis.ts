import type { Exchange } from '../../common/lab-events';
import { headerValue } from './body-format';
import type { DiagramModel, MergedExchange } from './diagram-model';
import { decodeToken } from './jwt-decode';

/** A captured view never changes once received: its proof's `jti` is read once. */
const jtiByView = new WeakMap<Exchange, string | null>();

/** The `jti` of the DPoP proof a request carried in its `DPoP` header (RFC 9449 §4.2), if any. */
export function dpopProofJti(view: Exchange): string | undefined {
  let jti = jtiByView.get(view);
  if (jti === undefined) {
    const proof = headerValue(view.requestHeaders, 'dpop');
    const payload = proof ? decodeToken(proof).payload : undefined;
    jti = typeof payload?.jti === 'string' ? payload.jti : null;
    jtiByView.set(view, jti);
  }
  return jti ?? undefined;
}

/**
 * The proof `jti`s of every other exchange in the model, to show a replayed proof (RFC 9449 §11.1).
 * Both views of an exchange are read: the client's and the server's can each be all there is.
 */
export function otherDpopJtis(model: DiagramModel, merged: MergedExchange): Set<string> {
  const jtis = new Set<string>();
  for (const item of model.items) {
    if (item.kind !== 'exchange' || item.exchange === merged) continue;
    for (const view of [item.exchange.client, item.exchange.server]) {
      const jti = view && dpopProofJti(view);
      if (jti) jtis.add(jti);
    }
  }
  return jtis;
}
