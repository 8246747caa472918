import { useId } from 'react';
import { explainClaim, formatClaimValue } from '../model/claim-glossary';

/** Claims as rows; a registered claim explains itself on hover or focus. */
export function ClaimTable({ claims, caption }: { claims: Record<string, unknown>; caption: string }) {
  const entries = Object.entries(claims);
  return (
    <table className="kv claims">
      <caption className="sr-only">{caption}</caption>
      <tbody>
        {entries.map(([name, value]) => (
          <ClaimRow key={name} name={name} value={value} />
        ))}
        {entries.flatMap(([name, value]) =>
          name === 'cnf' && value && typeof value === 'object' && 'jkt' in value
            ? [<ClaimRow key="cnf.jkt" name="cnf.jkt" value={(value as { jkt: unknown }).jkt} />]
            : [],
        )}
      </tbody>
    </table>
  );
}

function ClaimRow({ name, value }: { name: string; value: unknown }) {
  const meaning = explainClaim(name);
  const tipId = useId();
  return (
    <tr>
      <th scope="row">
        {meaning ? (
          <span className="claim-name has-tip" tabIndex={0} aria-describedby={tipId}>
            {name}
            <span role="tooltip" id={tipId} className="tip">
              <strong>{meaning.title}.</strong> {meaning.explanation} <em>{meaning.ref}</em>
            </span>
          </span>
        ) : (
          <span className="claim-name">{name}</span>
        )}
      </th>
      <td className="mono">{formatClaimValue(name, value)}</td>
    </tr>
  );
}
