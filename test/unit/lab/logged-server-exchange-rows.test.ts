import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/server/infrastructure/sqlite/open-database';
import { isLoggedServerExchange, ROWS_PER_INSERT } from '../../../src/server/lab/logged-server-exchange-rows';
import {
  createRecordingStore,
  type AppendItem,
  type EventColumns,
} from '../../../src/server/lab/recording-store';
import type { LabEvent } from '../../../src/common/lab-events';
import { tempDirs } from '../../support/temp-dirs';
import { makeExchange } from './helpers';

const dirs = tempDirs('logged-server-exchange-rows-');
afterEach(dirs.removeAll);

/** A store on a database file: the capture's rows then have their texts in the event log. */
const open = () => createRecordingStore(openDatabase({ dataDir: dirs.make() }));
const exchanges = (recordingId: string, count: number, label: string): AppendItem[] =>
  Array.from({ length: count }, (_, i) => ({
    recordingId,
    event: makeExchange({ label: `${label}${i}` }),
  }));
const labelOf = (e: LabEvent) => (e.type === 'exchange' ? e.label : e.type);

describe('the capture’s rows, inserted several to a statement', () => {
  it('are the server’s unmerged views of exchanges only: what their statement writes as fixed', () => {
    const columnsOf = (type: LabEvent['type'], observer: string | null): EventColumns => [
      'rec',
      'ev',
      type,
      observer,
      't',
      's',
      'client',
      'authorization_server',
      'token',
      200,
    ];
    expect(isLoggedServerExchange(columnsOf('exchange', 'server'), 0)).toBe(true);
    expect(isLoggedServerExchange(columnsOf('exchange', 'server'), 1)).toBe(false);
    expect(isLoggedServerExchange(columnsOf('exchange', 'client'), 0)).toBe(false);
    expect(isLoggedServerExchange(columnsOf('note', null), 0)).toBe(false);
    expect(isLoggedServerExchange(columnsOf('note', 'server'), 0)).toBe(false);
  });

  it('give each event of a batch its own seq, in the batch’s order, other rows between them', () => {
    const store = open();
    const rec = store.create('r', 1);
    const batch: AppendItem[] = [
      ...exchanges(rec.id, ROWS_PER_INSERT + 3, 'a'),
      { recordingId: rec.id, event: { type: 'note', id: 'note-1', at: 1, text: 'between' } },
      ...exchanges(rec.id, 2, 'b'),
      // The demo client's view of a request: a row of its own statement.
      { recordingId: rec.id, event: makeExchange({ observer: 'client', label: 'client' }) },
      ...exchanges(rec.id, 2 * ROWS_PER_INSERT + 1, 'c'),
    ];
    const seqs = store.append(batch);
    expect(seqs).toHaveLength(batch.length);
    seqs.forEach((seq, i) => {
      if (i > 0) expect(seq).toBeGreaterThan(seqs[i - 1] as number);
      expect(store.eventIdAt(seq)).toBe(batch[i]?.event.id);
    });
    expect([...store.events(rec.id)].map(labelOf)).toEqual(batch.map((item) => labelOf(item.event)));
  });

  it('never reuse a seq, even one whose row was deleted with its recording (AUTOINCREMENT)', () => {
    const store = open();
    const kept = store.create('kept', 1);
    store.append(exchanges(kept.id, 3, 'k'));
    const gone = store.create('gone', 2);
    const goneSeqs = store.append(exchanges(gone.id, ROWS_PER_INSERT + 2, 'g'));
    expect(store.delete(gone.id)).toBe(true);
    const later = store.append(exchanges(kept.id, ROWS_PER_INSERT + 2, 'l'));
    expect(Math.min(...later)).toBe(Math.max(...goneSeqs) + 1);
  });

  it('are refused with their whole batch when their recording is gone, and nothing of it is kept', () => {
    const store = open();
    const live = store.create('live', 1);
    const gone = store.create('gone', 2);
    store.delete(gone.id);
    expect(() =>
      store.append([...exchanges(live.id, ROWS_PER_INSERT + 1, 'x'), ...exchanges(gone.id, 2, 'y')]),
    ).toThrow(/FOREIGN KEY/);
    expect([...store.events(live.id)]).toEqual([]);
    store.append(exchanges(live.id, 2, 'z'));
    expect([...store.events(live.id)].map(labelOf)).toEqual(['z0', 'z1']);
  });
});
