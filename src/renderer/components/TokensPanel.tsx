import { useEffect, useState } from 'react';
import { formatOffset } from '../model/diagram-model';
import { decodeToken, verifyWithJwks, type SignatureStatus } from '../model/jwt-decode';
import { maskSecret } from '../model/body-format';
import { useFlowStore } from '../stores/flow-store';
import { useLabStore } from '../stores/lab-store';
import { useUiStore } from '../stores/ui-store';
import { ClaimTable } from './ClaimTable';
import { CopyButton } from './CopyButton';
import { SignatureBadge } from './JwtView';
import { useLabNow } from './use-lab-now';

const titles = {
  access_token: 'Access token',
  id_token: 'ID token',
  refresh_token: 'Refresh token',
} as const;
type TokenName = keyof typeof titles;

function Countdown({ expiresAt, now }: { expiresAt: number; now: number }) {
  const left = expiresAt - now;
  return (
    <span className={`badge ${left <= 0 ? 'bad' : left < 60_000 ? 'warn' : 'ok'}`}>
      {left <= 0 ? `expired ${formatOffset(-left)} ago` : `expires in ${formatOffset(left)}`}
    </span>
  );
}

function TokenCard({
  name,
  raw,
  expiresInFallback,
}: {
  name: TokenName;
  raw: string;
  expiresInFallback: number | null;
}) {
  const jwks = useLabStore((s) => s.jwks);
  const hide = useUiStore((s) => s.hideSecrets);
  const now = useLabNow();
  const decoded = decodeToken(raw);
  const [signature, setSignature] = useState<SignatureStatus | null>(null);
  useEffect(() => {
    let live = true;
    verifyWithJwks(raw, jwks)
      .then((s) => {
        if (live) setSignature(s);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [raw, jwks]);
  const exp = typeof decoded.payload.exp === 'number' ? decoded.payload.exp * 1000 : expiresInFallback;
  return (
    <section className="card token" aria-label={titles[name]} data-token={name}>
      <header className="card-head">
        <h3>{titles[name]}</h3>
        {decoded.form === 'jws' ? (
          signature && <SignatureBadge verified={signature.verified} detail={signature.detail} />
        ) : (
          <span className="badge neutral">opaque handle</span>
        )}
        {exp !== null && <Countdown expiresAt={exp} now={now} />}
        <CopyButton value={raw} label={titles[name]} />
      </header>
      {decoded.form === 'jws' ? (
        <div className="jwt-parts">
          <div>
            <h4>Header</h4>
            <ClaimTable claims={decoded.header} caption={`${titles[name]} header`} />
          </div>
          <div>
            <h4>Payload</h4>
            <ClaimTable claims={decoded.payload} caption={`${titles[name]} payload`} />
          </div>
        </div>
      ) : (
        <p className="mono wrap">{hide ? maskSecret(raw) : raw}</p>
      )}
    </section>
  );
}

function DpopBinding({ thumbprint, jkt }: { thumbprint: string; jkt: string | undefined }) {
  const match = jkt === undefined ? null : jkt === thumbprint;
  return (
    <section className="card binding" aria-label="DPoP key binding">
      <h3>DPoP key binding</h3>
      <table className="kv">
        <tbody>
          <tr>
            <th scope="row">Proof key thumbprint (RFC 7638)</th>
            <td className="mono">
              {thumbprint} <CopyButton value={thumbprint} label="DPoP key thumbprint" />
            </td>
          </tr>
          <tr>
            <th scope="row">Access token cnf.jkt (RFC 9449 §6.1)</th>
            <td className="mono">{jkt ?? '(not visible: opaque token — introspect it)'}</td>
          </tr>
        </tbody>
      </table>
      <p className={match === true ? 'ok' : match === false ? 'bad' : 'muted'} data-testid="jkt-match">
        {match === true
          ? '✓ The access token is bound to this client’s DPoP key.'
          : match === false
            ? '✕ cnf.jkt does not match the DPoP key.'
            : 'No binding to compare yet.'}
      </p>
      <p className="muted small">
        The private key is a non-extractable WebCrypto key: the page can sign with it but never read it.
      </p>
    </section>
  );
}

export function TokensPanel() {
  const tokens = useFlowStore((s) => s.tokens);
  const receivedAt = useFlowStore((s) => s.tokensReceivedAt);
  const thumbprint = useFlowStore((s) => s.dpopThumbprint);
  const introspection = useFlowStore((s) => s.introspection);
  const names: TokenName[] = ['access_token', 'id_token', 'refresh_token'];
  const accessPayload = tokens?.access_token ? decodeToken(tokens.access_token).payload : {};
  const cnf = (accessPayload.cnf ?? introspection?.cnf) as { jkt?: unknown } | undefined;
  const jkt = typeof cnf?.jkt === 'string' ? cnf.jkt : undefined;
  return (
    <section className="panel tokens" aria-labelledby="tokens-title">
      <header className="panel-head">
        <h2 id="tokens-title">Tokens</h2>
        {tokens && <span className="muted small">token_type {tokens.token_type}</span>}
      </header>
      {thumbprint && <DpopBinding thumbprint={thumbprint} jkt={jkt} />}
      {!tokens && <p className="muted">No tokens yet. Exchange the code to receive them.</p>}
      {tokens &&
        names.map((name) => {
          const raw = tokens[name];
          if (typeof raw !== 'string') return null;
          const fallback =
            name === 'access_token' && typeof tokens.expires_in === 'number' && receivedAt !== null
              ? receivedAt + tokens.expires_in * 1000
              : null;
          return <TokenCard key={name} name={name} raw={raw} expiresInFallback={fallback} />;
        })}
      {introspection && (
        <section className="card" aria-label="Introspection response">
          <h3>Introspection</h3>
          <ClaimTable claims={introspection} caption="Introspection response" />
        </section>
      )}
    </section>
  );
}
