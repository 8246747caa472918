import { useEffect, useRef, useState } from 'react';
import { MERMAID_MAX_TEXT } from '../../common/escape-mermaid';
import { mermaidSource } from '../model/mermaid-source';
import { useInspectorStore } from '../stores/inspector-store';
import { CopyButton } from './CopyButton';

let renderCount = 0;

/**
 * "View this flow as Mermaid": the source, and a rendering by mermaid — loaded only here, with a
 * dynamic import, so it never weighs on the live diagram or the main bundle.
 */
export function MermaidPreview({ onClose }: { onClose(): void }) {
  const model = useInspectorStore((s) => s.model);
  const showPreflights = useInspectorStore((s) => s.showPreflights);
  const [source] = useState(() => mermaidSource(model, { hidePreflights: !showPreflights }));
  const tooLarge = source.length > MERMAID_MAX_TEXT;
  const [svg, setSvg] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const closeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    closeRef.current?.focus();
    if (tooLarge) return;
    let live = true;
    // A fresh id per render; a stale render (dialog closed) is dropped.
    const id = `mermaid-${++renderCount}`;
    import('mermaid')
      .then(async ({ default: mermaid }) => {
        mermaid.initialize({
          startOnLoad: false,
          securityLevel: 'strict',
          theme: 'neutral',
          maxTextSize: MERMAID_MAX_TEXT,
        });
        const { svg: rendered } = await mermaid.render(id, source);
        if (live) setSvg(rendered);
      })
      .catch((e: unknown) => {
        if (live) setError(e instanceof Error ? e.message : String(e));
      });
    return () => {
      live = false;
    };
  }, [source, tooLarge]);

  return (
    <div className="overlay">
      <div
        className="presenter mermaid-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="mermaid-title"
        onKeyDown={(e) => {
          if (e.key === 'Escape') onClose();
        }}
      >
        <header className="card-head">
          <h2 id="mermaid-title">This flow as Mermaid</h2>
          <CopyButton value={source} label="Mermaid source" />
          <button
            ref={closeRef}
            type="button"
            className="btn"
            onClick={onClose}
            aria-label="Close the Mermaid preview"
          >
            ✕
          </button>
        </header>
        <div className="presenter-body">
          {tooLarge && (
            <p className="muted">
              This flow is too large for Mermaid to draw: its source has {source.length.toLocaleString('en')}{' '}
              characters, and Mermaid draws up to {MERMAID_MAX_TEXT.toLocaleString('en')}. The source is
              below, to copy.
            </p>
          )}
          {error && <p className="bad">Mermaid could not render it: {error}</p>}
          {!svg && !error && !tooLarge && <p className="muted">Rendering…</p>}
          {/* mermaid's output, sanitised by mermaid itself (securityLevel strict). */}
          {svg && <div className="mermaid-svg" dangerouslySetInnerHTML={{ __html: svg }} />}
          <details open={tooLarge}>
            <summary>Source</summary>
            <pre className="code" tabIndex={0}>
              {source}
            </pre>
          </details>
        </div>
      </div>
    </div>
  );
}
