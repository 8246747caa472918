import { escapeMermaid, MERMAID_MAX_TEXT } from '../../common/escape-mermaid';
import type { Actor, CheckResultEvent, Exchange, LabEvent } from '../../common/lab-events';
import { isoTime } from '../../common/time-value';
import type { JwtDecoder } from './jwt-decoder';
import type { DiagramRow, RecordingMeta, RecordingStore } from './recording-store';
import { chunked, type ExportSink } from './export-sink';

const PARTICIPANTS: Record<Actor, string> = {
  browser: 'Browser',
  client: 'Client',
  authorization_server: 'AS',
  resource_server: 'RS',
  lab: 'Lab',
};

export { escapeMermaid };

const escapeCell = (text: string): string => text.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');

/** A fenced code block whose fence is longer than any run of backticks in the content. */
function codeBlock(language: string, content: string): string {
  const longest = Math.max(0, ...Array.from(content.matchAll(/`+/g), (m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${content}\n${fence}\n`;
}

const DIAGRAM_HEAD =
  'sequenceDiagram\n  participant Browser\n  participant Client\n  participant AS as Authorization server\n  participant RS as Resource server\n';

function diagramLine(row: DiagramRow): string[] {
  if (row.type !== 'exchange') {
    return [
      `  Note over Browser,RS: ${escapeMermaid(row.type === 'clock' ? `clock: ${row.label}` : row.label)}`,
    ];
  }
  const from = PARTICIPANTS[row.from ?? 'client'];
  const to = PARTICIPANTS[row.to ?? 'authorization_server'];
  const answer = row.status === null ? 'no response' : String(row.status);
  return [`  ${from}->>${to}: ${escapeMermaid(row.label)}`, `  ${to}-->>${from}: ${escapeMermaid(answer)}`];
}

function isJson(text: string): string | undefined {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return undefined;
  }
}

const checksTable = (checks: readonly CheckResultEvent[]): string => {
  if (checks.length === 0) return '_No checks recorded._\n';
  const rows = checks.map(
    (c) =>
      `| ${c.outcome} | \`${escapeCell(c.id)}\` | ${escapeCell(c.description)} | ${escapeCell(c.ref)} | ${escapeCell(
        c.error ? `${c.error.error}: ${c.error.error_description}` : (c.detail ?? ''),
      )} |`,
  );
  return [
    '| Outcome | Check | Description | Clause | Detail |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
};

/**
 * Text from the recording (labels, names, transport errors) as inline Markdown: no raw HTML, no
 * heading or code-span breakage, on one line.
 */
export const markdownText = (value: string): string =>
  value
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_#<>&[\]|]/g, (ch) =>
      ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : ch === '&' ? '&amp;' : `\\${ch}`,
    );

function exchangeSection(n: number, e: Exchange): string {
  const parts: string[] = [];
  parts.push(
    `## ${n}. ${PARTICIPANTS[e.from]} → ${PARTICIPANTS[e.to]}: ${markdownText(e.label)} (${e.status ?? 'no response'})\n`,
    `- Observed by: ${e.observer}; trace \`${e.traceId}\`, span \`${e.spanId}\``,
    `- Started: ${isoTime(e.startedAt)}; duration ${e.durationMs} ms\n`,
    `### Request\n`,
    codeBlock('http', `${e.method} ${e.url}`),
    codeBlock('json', JSON.stringify(e.requestHeaders, null, 2)),
  );
  if (e.requestBody !== null) parts.push(codeBlock('', e.requestBody));
  parts.push(`### Response\n`);
  if (e.transportError) parts.push(`Transport error: ${markdownText(e.transportError)}\n`);
  parts.push(codeBlock('json', JSON.stringify(e.responseHeaders, null, 2)));
  if (e.responseBody !== null) {
    const pretty = isJson(e.responseBody);
    parts.push(pretty ? codeBlock('json', pretty) : codeBlock('', e.responseBody));
  }
  if (e.jwts.length > 0) {
    parts.push(`### Tokens\n`);
    for (const jwt of e.jwts) {
      const verdict =
        jwt.signature.verified === null ? 'not checked' : jwt.signature.verified ? 'verified' : 'INVALID';
      parts.push(
        `#### ${jwt.kind} at \`${jwt.location}\` — signature ${verdict}${jwt.signature.key ? ` (${jwt.signature.key})` : ''}\n`,
        codeBlock('json', JSON.stringify({ header: jwt.header, payload: jwt.payload }, null, 2)),
      );
    }
  }
  parts.push(`### Checks\n`, checksTable(e.checks));
  return parts.join('\n') + '\n';
}

function otherSection(event: Exclude<LabEvent, Exchange>): string {
  const at = isoTime(event.at);
  return event.type === 'clock'
    ? `> ${at} — lab clock: ${event.reason} (offset ${event.offsetMs} ms)\n\n`
    : `> ${at} — ${event.text}\n\n`;
}

/**
 * A readable report: a Mermaid sequence diagram of the whole recording (one arrow per request and
 * one per response; several diagrams in a row when it is too long for one), then each exchange with
 * its request, response, decoded tokens and checks. Two passes over the rows: the diagram reads only
 * the columns it draws, so nothing is held twice.
 */
export async function exportMarkdown(
  store: RecordingStore,
  decoder: JwtDecoder,
  meta: RecordingMeta,
  sink: ExportSink,
): Promise<void> {
  const out = chunked(sink);
  await out.write(
    `# ${markdownText(meta.name)}\n\nRecorded with TRusTY Lab on ${isoTime(meta.createdAt)}.\n\n`,
  );
  // A diagram Mermaid can draw holds at most MERMAID_MAX_TEXT characters: a longer recording is
  // drawn as several, one after the other, each with the participants.
  await out.write(`\`\`\`mermaid\n${DIAGRAM_HEAD}`);
  let diagramLength = DIAGRAM_HEAD.length;
  for (const row of store.diagram(meta.id, { mergeViews: true })) {
    const lines = diagramLine(row).join('\n') + '\n';
    if (diagramLength + lines.length > MERMAID_MAX_TEXT && diagramLength > DIAGRAM_HEAD.length) {
      await out.write(`\`\`\`\n\n\`\`\`mermaid\n${DIAGRAM_HEAD}`);
      diagramLength = DIAGRAM_HEAD.length;
    }
    diagramLength += lines.length;
    await out.write(lines);
  }
  await out.write('```\n\n');
  let n = 0;
  for (const event of store.events(meta.id, { mergeViews: true })) {
    if (event.type === 'exchange') {
      n += 1;
      await out.write(exchangeSection(n, await decoder.enrich(event)));
    } else await out.write(otherSection(event));
  }
  await out.end();
}
