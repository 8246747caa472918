import { formatBody, maybeMask, queryFields } from '../model/body-format';
import { useUiStore } from '../stores/ui-store';

export function HeadersTable({ headers, caption }: { headers: Record<string, string>; caption: string }) {
  const hide = useUiStore((s) => s.hideSecrets);
  const entries = Object.entries(headers);
  if (entries.length === 0) return <p className="muted">No headers captured.</p>;
  return (
    <table className="kv">
      <caption className="sr-only">{caption}</caption>
      <tbody>
        {entries.map(([k, v]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td className="mono">{maybeMask(k, v, hide)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function FieldsTable({ fields, caption }: { fields: [string, string][]; caption: string }) {
  const hide = useUiStore((s) => s.hideSecrets);
  return (
    <table className="kv">
      <caption className="sr-only">{caption}</caption>
      <tbody>
        {fields.map(([k, v], i) => (
          <tr key={`${k}-${i}`}>
            <th scope="row">{k}</th>
            <td className="mono">{maybeMask(k, v, hide)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function QueryView({ url }: { url: string }) {
  const fields = queryFields(url);
  if (fields.length === 0) return null;
  return (
    <>
      <h4>Query</h4>
      <FieldsTable fields={fields} caption="Query parameters" />
    </>
  );
}

export function BodyView({
  body,
  headers,
  caption,
}: {
  body: string | null;
  headers: Record<string, string>;
  caption: string;
}) {
  const hide = useUiStore((s) => s.hideSecrets);
  const formatted = formatBody(body, headers);
  switch (formatted.kind) {
    case 'empty':
      return <p className="muted">No body.</p>;
    case 'form':
      return <FieldsTable fields={formatted.fields} caption={caption} />;
    case 'json': {
      const text =
        hide && formatted.value && typeof formatted.value === 'object'
          ? JSON.stringify(
              formatted.value,
              (k, v: unknown) => (typeof v === 'string' && k ? maybeMask(k, v, true) : v),
              2,
            )
          : formatted.text;
      return (
        <pre className="code" aria-label={caption} tabIndex={0}>
          {text}
        </pre>
      );
    }
    case 'text':
      return (
        <pre className="code" aria-label={caption} tabIndex={0}>
          {formatted.text.length > 20_000
            ? `${formatted.text.slice(0, 20_000)}\n… (truncated)`
            : formatted.text}
        </pre>
      );
  }
}
