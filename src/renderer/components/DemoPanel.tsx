import { callbackUri, receivesCallback, registrableCallback } from '../flow/demo-client-config';
import { flowController } from '../flow/flow-controller';
import { useFlowStore } from '../stores/flow-store';
import { useLabStore } from '../stores/lab-store';
import { useUiStore } from '../stores/ui-store';

const statusText = { pending: 'not run', running: 'running', done: 'done', failed: 'failed' } as const;

export function DemoPanel() {
  const session = useLabStore((s) => s.session);
  const clientId = useFlowStore((s) => s.clientId);
  const steps = useFlowStore((s) => s.steps);
  const status = useFlowStore((s) => s.status);
  const outcomes = useFlowStore((s) => s.outcomes);
  const running = useFlowStore((s) => s.running);
  const popupBlockedUrl = useFlowStore((s) => s.popupBlockedUrl);
  const presenter = useUiStore((s) => s.presenter);
  const setPresenter = useUiStore((s) => s.setPresenter);
  const hideSecrets = useUiStore((s) => s.hideSecrets);
  const setHideSecrets = useUiStore((s) => s.setHideSecrets);

  const clients = session?.clients ?? [];
  const client = clients.find((c) => c.client_id === clientId);
  const next = steps.find((s) => status[s.id] !== 'done');
  const standard = clients.find((c) => c.profile === 'oidc');
  const fapi = clients.find((c) => c.profile === 'fapi2');

  return (
    <section className="panel demo" aria-labelledby="demo-title" tabIndex={-1}>
      <header className="panel-head">
        <h2 id="demo-title">Demo client</h2>
      </header>
      <div className="mode-picker" role="radiogroup" aria-label="Mode">
        {standard && (
          <button
            type="button"
            role="radio"
            aria-checked={client?.profile === 'oidc'}
            className={`mode ${client?.profile === 'oidc' ? 'on' : ''}`}
            disabled={running}
            onClick={() => flowController.selectClient(standard)}
          >
            <strong>Standard</strong>
            <span className="small">code + PKCE + client secret</span>
          </button>
        )}
        {fapi && (
          <button
            type="button"
            role="radio"
            aria-checked={client?.profile === 'fapi2'}
            className={`mode ${client?.profile === 'fapi2' ? 'on' : ''}`}
            disabled={running}
            onClick={() => flowController.selectClient(fapi)}
          >
            <strong>FAPI 2.0</strong>
            <span className="small">PAR + private_key_jwt + DPoP</span>
          </button>
        )}
      </div>
      <label className="field">
        <span>Client</span>
        <select
          value={clientId ?? ''}
          disabled={running}
          onChange={(e) => {
            const c = clients.find((x) => x.client_id === e.target.value);
            if (c) flowController.selectClient(c);
          }}
        >
          {clients.map((c) => (
            <option key={c.client_id} value={c.client_id}>
              {c.client_id} ({c.profile === 'fapi2' ? 'FAPI 2.0' : 'OIDC'}, {c.token_endpoint_auth_method})
            </option>
          ))}
        </select>
      </label>
      {client && !client.grant_types.includes('authorization_code') && (
        <p className="warn small">
          This client is not registered for the authorization code grant: the flow will be refused.
        </p>
      )}
      <div className="actions">
        <button
          type="button"
          className="btn primary"
          disabled={!client || running || !next}
          onClick={() => void flowController.runNext()}
        >
          Run next step
        </button>
        <button
          type="button"
          className="btn"
          disabled={!client || running || !next}
          onClick={() => void flowController.runAll()}
        >
          Run all
        </button>
        <button type="button" className="btn" disabled={!client} onClick={() => flowController.newFlow()}>
          New flow
        </button>
      </div>
      <div className="toggles">
        <label>
          <input type="checkbox" checked={presenter} onChange={(e) => setPresenter(e.target.checked)} />{' '}
          Presenter mode
        </label>
        <label>
          <input type="checkbox" checked={hideSecrets} onChange={(e) => setHideSecrets(e.target.checked)} />{' '}
          Hide secrets
        </label>
      </div>
      {client && session && !receivesCallback(client, session.labOrigin) && (
        <p className="notice" role="note">
          {client.client_id} has no redirect URI at the lab’s callback ({callbackUri(session.labOrigin)}): the
          provider will refuse its authorization request. Register{' '}
          <code>{registrableCallback(session.labOrigin)}</code> for it (any port matches a loopback address,
          RFC 8252 §7.3) to run its flow here.
        </p>
      )}
      {popupBlockedUrl && (
        <div className="notice" role="alert">
          The browser blocked the login window.{' '}
          <button type="button" className="btn primary" onClick={() => flowController.openBlockedPopup()}>
            Open the login window
          </button>
        </div>
      )}
      {session && session.users.length > 0 && (
        <p className="muted small">
          Demo users: {session.users.map((u) => u.username).join(', ')} (alice / wonderland, bob / builder by
          default).
        </p>
      )}
      <ol className="steps" aria-label="Flow steps">
        {steps.map((step, i) => {
          const st = status[step.id] ?? 'pending';
          const outcome = outcomes[step.id];
          return (
            <li
              key={step.id}
              className={`step ${st}${next?.id === step.id ? ' next' : ''}`}
              data-step={step.id}
              data-status={st}
            >
              <div className="step-num" aria-hidden="true">
                {st === 'done' ? '✓' : st === 'failed' ? '✕' : st === 'running' ? '…' : i + 1}
              </div>
              <div className="step-main">
                <div className="step-title">
                  <strong>{step.title}</strong> <span className="ref">{step.ref}</span>
                  <span className="sr-only"> — {statusText[st]}</span>
                </div>
                <p className="step-explain">{step.explanation}</p>
                {st === 'running' && (step.id === 'authorize' || step.id === 'logout') && (
                  <p className="step-outcome" role="status">
                    Waiting for the provider’s page in the popup window… (New flow cancels.)
                  </p>
                )}
                {outcome && (
                  <p
                    className={`step-outcome ${outcome.error ? 'bad' : 'ok'}`}
                    role={outcome.error ? 'alert' : undefined}
                  >
                    {outcome.error ?? outcome.summary}
                  </p>
                )}
              </div>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
