import { describe, expect, it } from 'vitest';
import { renderToString } from 'react-dom/server';
import { CaptureOffNotice } from '../../../src/renderer/components/CaptureOffNotice';
import { ClaimTable } from '../../../src/renderer/components/ClaimTable';
import { MermaidPreview } from '../../../src/renderer/components/MermaidPreview';
import { MERMAID_MAX_TEXT } from '../../../src/common/escape-mermaid';
import { SequenceDiagram } from '../../../src/renderer/components/SequenceDiagram';
import { useInspectorStore } from '../../../src/renderer/stores/inspector-store';
import { exchange } from './fixtures';

describe('components (server-rendered)', () => {
  it('explains registered claims in a tooltip tied to the claim name', () => {
    const html = renderToString(
      <ClaimTable claims={{ exp: 1_700_000_000, favourite: 'tea', cnf: { jkt: 'abc' } }} caption="payload" />,
    );
    expect(html).toContain('role="tooltip"');
    expect(html).toContain('Expires at');
    expect(html).toContain('2023-11-14T22:13:20Z');
    // An unknown claim gets no tooltip; cnf.jkt gets its own row.
    expect(html.match(/role="tooltip"/g)).toHaveLength(3);
    expect(html).toContain('cnf.jkt');
  });

  it('renders the diagram as a keyboard listbox with lane titles and one option per arrow', () => {
    useInspectorStore
      .getState()
      .applyLive([exchange({ label: 'PAR', url: 'http://as/par', status: 201 }), exchange({ status: 400 })]);
    const html = renderToString(<SequenceDiagram />);
    expect(html).toContain('role="listbox"');
    expect(html).toContain('Authorization Server');
    expect(html.match(/role="option"/g)).toHaveLength(4);
    expect(html).toContain('Request PAR (POST /par), Client to Authorization Server, succeeded');
    expect(html).toContain('tone-error');
  });

  it('says when a flow is too large for Mermaid to draw, instead of drawing that message', () => {
    // Server rendering reads the store's initial state, whose diagram model applyLive grows in place.
    const store = useInspectorStore.getState();
    store.applyLive([exchange({ label: 'PAR', url: 'http://as/par', status: 201 })]);
    const small = renderToString(<MermaidPreview onClose={() => {}} />);
    expect(small).toContain('Rendering…');
    expect(small).not.toContain('too large');

    store.applyLive(Array.from({ length: 2000 }, () => exchange({ status: 200 })));
    // The text as shown: server rendering separates adjacent text nodes with empty comments.
    const large = renderToString(<MermaidPreview onClose={() => {}} />).replaceAll('<!-- -->', '');
    expect(large).toContain('This flow is too large for Mermaid to draw');
    expect(large).toContain(`Mermaid draws up to ${MERMAID_MAX_TEXT.toLocaleString('en')}`);
    expect(large).not.toContain('Rendering…');
    expect(large).toMatch(/<details open="">/);
  });

  it('says in the inspector that capture is off, and only then', () => {
    expect(renderToString(<CaptureOffNotice capture={false} />)).toContain('Capture is off');
    expect(renderToString(<CaptureOffNotice capture={true} />)).toBe('');
    // Before the session is known, nothing is said.
    expect(renderToString(<CaptureOffNotice capture={undefined} />)).toBe('');
  });
});
