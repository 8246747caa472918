import { primaryView, statusText, type DiagramModel, type Lane } from './diagram-model';
import { laneOf } from './diagram-model';
import { escapeMermaid } from '../../common/escape-mermaid';

const participants: Record<Lane, string> = {
  browser: 'B',
  client: 'C',
  authorization_server: 'AS',
  resource_server: 'RS',
};

export { escapeMermaid };

/**
 * The diagram as Mermaid `sequenceDiagram` source: one arrow per request and one dashed arrow for
 * its response; clock changes and notes as notes across all lifelines. For the preview and copy.
 */
export function mermaidSource(model: DiagramModel, options: { hidePreflights?: boolean } = {}): string {
  const lines = [
    'sequenceDiagram',
    '  participant B as Browser',
    '  participant C as Client',
    '  participant AS as Authorization Server',
    '  participant RS as Resource Server',
  ];
  for (const item of model.items) {
    if (item.kind === 'exchange') {
      const view = primaryView(item.exchange);
      if (options.hidePreflights && view.method.toUpperCase() === 'OPTIONS') continue;
      const from = participants[laneOf(view.from)];
      const to = participants[laneOf(view.to)];
      let path = view.url;
      try {
        path = new URL(view.url).pathname;
      } catch {
        // keep the raw URL
      }
      lines.push(`  ${from}->>${to}: ${escapeMermaid(`${view.label} (${view.method} ${path})`)}`);
      lines.push(`  ${to}-->>${from}: ${escapeMermaid(statusText(item.exchange))}`);
    } else {
      const text =
        item.kind === 'clock'
          ? `Lab clock offset ${Math.round(item.event.offsetMs / 1000)} s (${item.event.reason})`
          : item.event.text;
      lines.push(`  Note over B,RS: ${escapeMermaid(text)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
