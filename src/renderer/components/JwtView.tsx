import { useEffect, useState } from 'react';
import type { DecodedJwt } from '../../common/lab-events';
import { compareProofWithRequest, type ProofComparison, type ProofRequest } from '../model/dpop-proof-match';
import { maskSecret } from '../model/body-format';
import { useUiStore } from '../stores/ui-store';
import { ClaimTable } from './ClaimTable';
import { CopyButton } from './CopyButton';

const kindTitles: Record<DecodedJwt['kind'], string> = {
  dpop_proof: 'DPoP proof',
  client_assertion: 'Client assertion',
  access_token: 'Access token',
  id_token: 'ID token',
  id_token_hint: 'ID token hint',
  other: 'JWT',
};

export function SignatureBadge({ verified, detail }: { verified: boolean | null; detail?: string }) {
  const text =
    verified === true
      ? 'signature verified'
      : verified === false
        ? 'signature INVALID'
        : 'signature not checked';
  return (
    <span
      className={`badge ${verified === true ? 'ok' : verified === false ? 'bad' : 'neutral'}`}
      title={detail}
    >
      {verified === true ? '✓ ' : verified === false ? '✕ ' : '? '}
      {text}
    </span>
  );
}

export function JwtView({ jwt, proofRequest }: { jwt: DecodedJwt; proofRequest?: ProofRequest }) {
  const hide = useUiStore((s) => s.hideSecrets);
  return (
    <section className="jwt card" aria-label={`${kindTitles[jwt.kind]} at ${jwt.location}`}>
      <header className="card-head">
        <h4>
          {kindTitles[jwt.kind]} <span className="muted small">{jwt.location}</span>
        </h4>
        <SignatureBadge
          verified={jwt.signature.verified}
          detail={[jwt.signature.key, jwt.signature.detail].filter(Boolean).join(' — ')}
        />
        <CopyButton value={jwt.raw} label={kindTitles[jwt.kind]} />
      </header>
      {jwt.signature.key && <p className="muted small">Key: {jwt.signature.key}</p>}
      <div className="jwt-parts">
        <div>
          <h5>Header</h5>
          <ClaimTable claims={jwt.header} caption={`${kindTitles[jwt.kind]} header`} />
        </div>
        <div>
          <h5>Payload</h5>
          <ClaimTable claims={jwt.payload} caption={`${kindTitles[jwt.kind]} payload`} />
        </div>
      </div>
      {jwt.kind === 'dpop_proof' && proofRequest && <ProofMatch jwt={jwt} request={proofRequest} />}
      <details>
        <summary>Encoded</summary>
        <pre className="code wrap" tabIndex={0}>
          {hide ? maskSecret(jwt.raw) : jwt.raw}
        </pre>
      </details>
    </section>
  );
}

function ProofMatch({ jwt, request }: { jwt: DecodedJwt; request: ProofRequest }) {
  const [rows, setRows] = useState<ProofComparison[] | null>(null);
  useEffect(() => {
    let live = true;
    compareProofWithRequest(jwt, request)
      .then((r) => {
        if (live) setRows(r);
      })
      .catch(() => {
        if (live) setRows([]);
      });
    return () => {
      live = false;
    };
  }, [jwt, request]);
  if (!rows) return <p className="muted">Comparing the proof with its request…</p>;
  return (
    <table className="match" aria-label="DPoP proof compared with its request">
      <thead>
        <tr>
          <th scope="col">Claim</th>
          <th scope="col">Request</th>
          <th scope="col">Proof</th>
          <th scope="col">Match</th>
          <th scope="col">Clause</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.claim} className={r.matched === false ? 'bad' : ''}>
            <th scope="row">{r.claim}</th>
            <td className="mono">{r.expected}</td>
            <td className="mono" title={r.note}>
              {r.actual}
              {r.note && <div className="muted small">{r.note}</div>}
            </td>
            <td>{r.matched === null ? '— n/a' : r.matched ? '✓ matches' : '✕ differs'}</td>
            <td className="muted small">{r.ref}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
