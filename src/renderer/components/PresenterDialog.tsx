import { useEffect, useRef } from 'react';
import { maybeMask, queryFields, formatBody } from '../model/body-format';
import { decodeToken } from '../model/jwt-decode';
import { noteFor } from '../flow/param-glossary';
import { useFlowStore } from '../stores/flow-store';
import { useUiStore } from '../stores/ui-store';
import { ClaimTable } from './ClaimTable';

function AnnotatedFields({
  title,
  fields,
  hide,
}: {
  title: string;
  fields: [string, string][];
  hide: boolean;
}) {
  if (fields.length === 0) return null;
  return (
    <>
      <h3>{title}</h3>
      <table className="kv annotated">
        <tbody>
          {fields.map(([k, v], i) => (
            <tr key={`${k}-${i}`}>
              <th scope="row">{k}</th>
              <td>
                <div className="mono">{maybeMask(k, v, hide)}</div>
                {noteFor(k) && <div className="note">{noteFor(k)}</div>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** Presenter mode: what is about to be sent, annotated, held until "Send". */
export function PresenterDialog() {
  const pending = useFlowStore((s) => s.pending);
  const hide = useUiStore((s) => s.hideSecrets);
  const sendRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (pending) sendRef.current?.focus();
  }, [pending]);
  if (!pending) return null;
  const { request } = pending;
  const body = formatBody(request.body, request.headers);
  const headerFields = Object.entries(request.headers);
  const jwts = [
    ...headerFields.filter(([k]) => k.toLowerCase() === 'dpop').map(([, v]) => ['DPoP proof', v] as const),
    ...(body.kind === 'form'
      ? body.fields.filter(([k]) => k === 'client_assertion').map(([, v]) => ['Client assertion', v] as const)
      : []),
  ];
  return (
    <div className="overlay">
      <div
        className="presenter"
        role="dialog"
        aria-modal="true"
        aria-labelledby="presenter-title"
        onKeyDown={(e) => {
          if (e.key === 'Escape') pending.cancel();
        }}
      >
        <header>
          <p className="muted">{pending.stepTitle} — about to send</p>
          <h2 id="presenter-title" className="mono">
            {request.method} {request.url.split('?')[0]}
          </h2>
          {pending.opensPopup && <p className="note">This opens the provider’s page in a popup window.</p>}
        </header>
        <div className="presenter-body">
          <AnnotatedFields title="Query parameters" fields={queryFields(request.url)} hide={hide} />
          <AnnotatedFields title="Headers" fields={headerFields} hide={hide} />
          {body.kind === 'form' && <AnnotatedFields title="Body (form)" fields={body.fields} hide={hide} />}
          {(body.kind === 'json' || body.kind === 'text') && (
            <pre className="code" tabIndex={0}>
              {body.text}
            </pre>
          )}
          {jwts.map(([title, raw]) => {
            const d = decodeToken(raw);
            return (
              <section key={title} className="card">
                <h3>{title}, decoded</h3>
                <div className="jwt-parts">
                  <ClaimTable claims={d.header} caption={`${title} header`} />
                  <ClaimTable claims={d.payload} caption={`${title} payload`} />
                </div>
              </section>
            );
          })}
        </div>
        <footer className="actions">
          <button ref={sendRef} type="button" className="btn primary big" onClick={() => pending.send()}>
            Send
          </button>
          <button type="button" className="btn big" onClick={() => pending.cancel()}>
            Cancel
          </button>
        </footer>
      </div>
    </div>
  );
}
