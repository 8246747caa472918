import { useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import type { Exchange } from '../../common/lab-events';
import { headerValue } from '../model/body-format';
import { laneOf, laneTitles, mergedOutcome, primaryView, type MergedExchange } from '../model/diagram-model';
import { accessTokenFromAuthorization, type ProofRequest } from '../model/dpop-proof-match';
import { otherDpopJtis } from '../model/dpop-proof-jtis';
import { jwtsOfExchange } from '../model/exchange-jwts';
import { decodeToken } from '../model/jwt-decode';
import { outcomeLabel, toneOf } from '../model/outcome';
import { DETAIL_MARK, DETAIL_MEASURE, useInspectorStore } from '../stores/inspector-store';
import { BodyView, HeadersTable, QueryView } from './BodyView';
import { JwtView } from './JwtView';

function proofRequestOf(merged: MergedExchange, view: Exchange): ProofRequest {
  const accessToken = accessTokenFromAuthorization(headerValue(view.requestHeaders, 'authorization'));
  let boundJkt: string | undefined;
  if (accessToken) {
    const cnf = decodeToken(accessToken).payload.cnf as { jkt?: unknown } | undefined;
    if (typeof cnf?.jkt === 'string') boundJkt = cnf.jkt;
  }
  return {
    method: view.method,
    url: view.url,
    sentAt: view.startedAt,
    accessToken,
    boundJkt,
    otherJtis: otherDpopJtis(useInspectorStore.getState().model, merged),
  };
}

export function DetailPanel() {
  const selectedKey = useInspectorStore((s) => s.selectedKey);
  // Subscribed so that a merge (which mutates the model in place) re-renders the panel.
  useInspectorStore((s) => s.version);
  const model = useInspectorStore((s) => s.model);
  const select = useInspectorStore((s) => s.select);
  const closeRef = useRef<HTMLButtonElement>(null);

  const item = selectedKey ? model.byKey.get(selectedKey) : undefined;
  const merged = item?.kind === 'exchange' ? item.exchange : undefined;
  // A merge mutates `merged` in place, adding the other observer's view: depend on both views.
  const serverView = merged?.server;
  const clientView = merged?.client;
  const jwts = useMemo(
    () => (merged ? jwtsOfExchange({ key: merged.key, server: serverView, client: clientView }) : []),
    [merged, serverView, clientView],
  );
  const request = clientView ?? serverView;
  const proofRequest = useMemo(
    () => (merged && request ? proofRequestOf(merged, request) : undefined),
    [merged, request],
  );

  useLayoutEffect(() => {
    if (merged && performance.getEntriesByName(DETAIL_MARK, 'mark').length > 0) {
      performance.measure(DETAIL_MEASURE, DETAIL_MARK);
      performance.clearMarks(DETAIL_MARK);
    }
  }, [merged]);

  useEffect(() => {
    if (merged) closeRef.current?.focus({ preventScroll: true });
  }, [merged]);

  if (!merged || !request) return null;
  const primary = primaryView(merged);
  const outcome = mergedOutcome(merged);
  const response = merged.server ?? merged.client ?? primary;
  const checks = merged.server?.checks ?? [];
  const failed = checks.filter((c) => c.outcome === 'failed').length;

  return (
    <aside
      className="detail"
      aria-label="Exchange details"
      data-testid="detail-panel"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          select(null);
          document.querySelector<HTMLElement>('.diagram-scroll')?.focus();
        }
      }}
    >
      <header className="detail-head">
        <div>
          <h2>
            {primary.label}{' '}
            <span className={`badge tone-${toneOf(outcome)}`}>{response.status ?? 'no response'}</span>
          </h2>
          <p className="muted small">
            {laneTitles[laneOf(primary.from)]} → {laneTitles[laneOf(primary.to)]} · {outcomeLabel(outcome)} ·{' '}
            {Math.round(primary.durationMs)} ms · seen by{' '}
            {[merged.client && 'client', merged.server && 'server'].filter(Boolean).join(' and ')}
          </p>
        </div>
        <button
          ref={closeRef}
          type="button"
          className="btn"
          aria-label="Close details"
          onClick={() => {
            select(null);
            document.querySelector<HTMLElement>('.diagram-scroll')?.focus();
          }}
        >
          ✕
        </button>
      </header>
      <div
        className="detail-body"
        tabIndex={0}
        role="region"
        aria-label="Exchange request, response, checks and tokens"
      >
        <section aria-labelledby="d-checks" data-testid="checks">
          <h3 id="d-checks">
            Server checks{' '}
            <span className="muted small">
              {checks.length === 0
                ? merged.server
                  ? 'none recorded'
                  : 'the server’s view has not arrived'
                : `${checks.filter((c) => c.outcome === 'passed').length} passed, ${checks.filter((c) => c.outcome === 'skipped').length} skipped, ${failed} failed`}
            </span>
          </h3>
          {failed > 0 && (
            <p className="failed-summary" data-testid="failed-summary">
              Failed:{' '}
              {checks
                .filter((c) => c.outcome === 'failed')
                .map((c) => `${c.description} (${c.ref})`)
                .join('; ')}
            </p>
          )}
          {checks.length > 0 && (
            <ol className="checks">
              {checks.map((c, i) => (
                <li key={`${c.id}-${i}`} className={`check ${c.outcome}`} data-outcome={c.outcome}>
                  <span className="check-mark" aria-hidden="true">
                    {c.outcome === 'passed' ? '✓' : c.outcome === 'failed' ? '✕' : '–'}
                  </span>
                  <span className="sr-only">{c.outcome}: </span>
                  <span className="check-text">
                    {c.description} <code className="muted small">{c.id}</code>
                    {c.detail && <span className="muted small"> — {c.detail}</span>}
                    {c.error && (
                      <span className="bad small">
                        {' '}
                        → {c.error.status} {c.error.error}: {c.error.error_description}
                      </span>
                    )}
                  </span>
                  <span className="check-ref">{c.ref}</span>
                </li>
              ))}
            </ol>
          )}
        </section>
        <section aria-labelledby="d-req">
          <h3 id="d-req">Request</h3>
          <p className="mono request-line">
            <strong>{request.method}</strong> {request.url}
          </p>
          <QueryView url={request.url} />
          <h4>Headers</h4>
          <HeadersTable headers={request.requestHeaders} caption="Request headers" />
          <h4>Body</h4>
          <BodyView body={request.requestBody} headers={request.requestHeaders} caption="Request body" />
        </section>
        <section aria-labelledby="d-res">
          <h3 id="d-res">Response</h3>
          {response.transportError ? (
            <p className="bad">Network error: {response.transportError}</p>
          ) : (
            <>
              <p className="mono">HTTP {response.status ?? '—'}</p>
              <h4>Headers</h4>
              <HeadersTable headers={response.responseHeaders} caption="Response headers" />
              <h4>Body</h4>
              <BodyView
                body={response.responseBody}
                headers={response.responseHeaders}
                caption="Response body"
              />
            </>
          )}
        </section>
        <section aria-labelledby="d-jwts">
          <h3 id="d-jwts">Tokens in this exchange ({jwts.length})</h3>
          {jwts.length === 0 && <p className="muted">No JWT.</p>}
          {jwts.map((j, i) => (
            <JwtView key={`${j.location}-${i}`} jwt={j} proofRequest={proofRequest} />
          ))}
        </section>
      </div>
    </aside>
  );
}
