import { describe, expect, it } from 'vitest';
import { createJwtDecoder } from '../../../src/server/lab/jwt-decoder';
import { exportRecording, type ExportFormat } from '../../../src/server/lab/export-recording';
import type { ExportSink } from '../../../src/server/lab/export-sink';
import { createRecordingStore } from '../../../src/server/lab/recording-store';
import { makeExchange, openMemoryDb } from './helpers';
import { MERMAID_MAX_TEXT } from '../../../src/common/escape-mermaid';

describe('export of a 10,000-exchange recording', () => {
  const store = createRecordingStore(openMemoryDb());
  const meta = store.create('big', 1);
  const batch = Array.from({ length: 10_000 }, (_, i) => ({
    recordingId: meta.id,
    event: makeExchange({ label: `call ${i}`, responseBody: JSON.stringify({ i, pad: 'x'.repeat(500) }) }),
  }));
  store.append(batch);

  it.each(['json', 'har', 'md'] as ExportFormat[])('streams %s in bounded chunks', async (format) => {
    let chunks = 0;
    let largest = 0;
    let total = 0;
    const parts: string[] = [];
    const sink: ExportSink = {
      async write(chunk) {
        chunks += 1;
        largest = Math.max(largest, chunk.length);
        total += chunk.length;
        if (format !== 'md') parts.push(chunk);
        await Promise.resolve();
      },
    };
    await exportRecording(
      format,
      { store, decoder: createJwtDecoder(), version: '1' },
      store.find(meta.id)!,
      sink,
    );
    // Written piece by piece as rows are read, never as one document.
    expect(chunks).toBeGreaterThan(50);
    expect(largest).toBeLessThan(256 * 1024);
    expect(total).toBeGreaterThan(10_000 * 500);
    if (format === 'har') expect(JSON.parse(parts.join('')).log.entries).toHaveLength(10_000);
    if (format === 'json') expect(JSON.parse(parts.join('')).events).toHaveLength(10_000);
  });
});

describe('the Markdown export of a recording too long for one Mermaid diagram', () => {
  it('draws it as several diagrams, each short enough for Mermaid, every arrow kept in order', async () => {
    const store = createRecordingStore(openMemoryDb());
    const meta = store.create('long', 1);
    const count = 1500;
    store.append(
      Array.from({ length: count }, (_, i) => ({
        recordingId: meta.id,
        event: makeExchange({ label: `call ${i}` }),
      })),
    );
    const parts: string[] = [];
    const sink: ExportSink = { write: async (chunk) => void parts.push(chunk) };
    await exportRecording('md', { store, decoder: createJwtDecoder(), version: '1' }, meta, sink);

    const diagrams = [...parts.join('').matchAll(/```mermaid\n([^`]*)```/g)].map((m) => m[1]!);
    expect(diagrams.length).toBeGreaterThan(1);
    for (const diagram of diagrams) {
      expect(diagram.length).toBeLessThanOrEqual(MERMAID_MAX_TEXT);
      expect(diagram.startsWith('sequenceDiagram\n  participant Browser\n')).toBe(true);
    }
    const labels = diagrams.flatMap((d) => [...d.matchAll(/->>AS: (call \d+)/g)].map((m) => m[1]));
    expect(labels).toEqual(Array.from({ length: count }, (_, i) => `call ${i}`));
  });
});

describe('an export while its recording is deleted', () => {
  it.each(['json', 'har', 'md'] as ExportFormat[])(
    'fails (%s) instead of ending as if the recording were complete',
    async (format) => {
      const store = createRecordingStore(openMemoryDb());
      const meta = store.create('deleted midway', 1);
      store.append(Array.from({ length: 1200 }, () => ({ recordingId: meta.id, event: makeExchange() })));
      let written = 0;
      const sink: ExportSink = {
        async write(chunk) {
          written += chunk.length;
          // Deleted once the export is under way (the API answers the DELETE between two writes).
          if (store.find(meta.id) && written > 64 * 1024) store.delete(meta.id);
          await Promise.resolve();
        },
      };
      await expect(
        exportRecording(format, { store, decoder: createJwtDecoder(), version: '1' }, meta, sink),
      ).rejects.toThrow('the recording was deleted while it was being read');
    },
  );
});
