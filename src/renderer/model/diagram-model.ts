import type { Actor, ClockEvent, Exchange, LabEvent, NoteEvent } from '../../common/lab-events';
import { outcomeOf, type Outcome } from './outcome';

/**
 * The live sequence diagram as data: lab events in, lanes and rows out. Kept free of React so the
 * rules (merge, order, colour) are unit-tested and an append stays O(1) for the view.
 */

/** The lifelines, left to right, in the order a flow travels. */
export const LANES = ['browser', 'client', 'authorization_server', 'resource_server'] as const;
export type Lane = (typeof LANES)[number];

export const laneTitles: Record<Lane, string> = {
  browser: 'Browser',
  client: 'Client',
  authorization_server: 'Authorization Server',
  resource_server: 'Resource Server',
};

/** The lab itself (clock moves, key rotation) acts on behalf of the person at the client. */
export function laneOf(actor: Actor): Lane {
  return actor === 'lab' ? 'client' : actor;
}

/** One HTTP exchange, as seen by the client, the server, or both (merged by traceId + spanId). */
export interface MergedExchange {
  readonly key: string;
  server: Exchange | undefined;
  client: Exchange | undefined;
}

export type DiagramItem =
  | { kind: 'exchange'; key: string; exchange: MergedExchange }
  | { kind: 'clock'; key: string; event: ClockEvent }
  | { kind: 'note'; key: string; event: NoteEvent };

interface RowBase {
  /** Stable React key. */
  key: string;
  /** Index of the item the row belongs to, in arrival order. */
  itemKey: string;
}

/** An arrow: a request or its response. */
export interface MessageRow extends RowBase {
  kind: 'request' | 'response';
  from: Lane;
  to: Lane;
  /** The arrow's caption: the exchange's label, or the status on a response. */
  text: string;
  /** `POST /token`: what the caption abbreviates. */
  request: string;
  outcome: Outcome;
  traceId: string;
}

/** A separator across the lifelines: the lab clock moved, or a note. */
export interface SeparatorRow extends RowBase {
  kind: 'clock' | 'note';
  text: string;
}

export type DiagramRow = MessageRow | SeparatorRow;

export function isMessageRow(row: DiagramRow): row is MessageRow {
  return row.kind === 'request' || row.kind === 'response';
}

export interface DiagramModel {
  /** Items in arrival order. */
  readonly items: DiagramItem[];
  readonly byKey: Map<string, DiagramItem>;
  /** Event ids already applied (SSE replays with `?since=` may repeat some). */
  readonly seenEventIds: Set<string>;
  /** Bumped on every change, so views can memoise on it. */
  version: number;
}

export function createDiagramModel(events: readonly LabEvent[] = []): DiagramModel {
  const model: DiagramModel = { items: [], byKey: new Map(), seenEventIds: new Set(), version: 0 };
  for (const event of events) addEvent(model, event);
  return model;
}

export function exchangeKey(exchange: Pick<Exchange, 'traceId' | 'spanId'>): string {
  return `${exchange.traceId}:${exchange.spanId}`;
}

/**
 * Applies one event. Items keep their arrival order rather than their timestamps: the lab clock can
 * be moved back to real time, after which new events carry earlier times than old ones, and the
 * client's and the server's clocks for one request differ anyway. Returns false when nothing changed.
 */
export function addEvent(model: DiagramModel, event: LabEvent): boolean {
  if (model.seenEventIds.has(event.id)) return false;
  model.seenEventIds.add(event.id);
  if (event.type === 'exchange') {
    const sharedKey = exchangeKey(event);
    const existing = model.byKey.get(sharedKey);
    if (existing && existing.kind === 'exchange' && existing.exchange[event.observer] === undefined) {
      // The other observer's view of a request already drawn: one arrow, both views.
      const merged = existing.exchange;
      if (event.observer === 'server') merged.server = event;
      else merged.client = event;
      model.version++;
      return true;
    }
    // A second view from the same observer is another request that reused the trace and span ids
    // (traceparent is the caller's to send): an arrow of its own, never one that hides the first.
    const key = existing ? `${sharedKey}:${event.id}` : sharedKey;
    const merged: MergedExchange = {
      key,
      server: event.observer === 'server' ? event : undefined,
      client: event.observer === 'client' ? event : undefined,
    };
    pushItem(model, { kind: 'exchange', key, exchange: merged });
    return true;
  }
  const key = `${event.type}:${event.id}`;
  if (event.type === 'clock') pushItem(model, { kind: 'clock', key, event });
  else pushItem(model, { kind: 'note', key, event });
  return true;
}

function pushItem(model: DiagramModel, item: DiagramItem): void {
  model.items.push(item);
  model.byKey.set(item.key, item);
  model.version++;
}

/** The view of a merged exchange that speaks for it: the server's (it holds the checks), else the client's. */
export function primaryView(merged: MergedExchange): Exchange {
  const view = merged.server ?? merged.client;
  if (!view) throw new Error('a merged exchange holds at least one view');
  return view;
}

/** Outcome of a merged exchange: the worst of what either side saw. */
export function mergedOutcome(merged: MergedExchange): Outcome {
  const primary = primaryView(merged);
  const transportError = merged.client?.transportError ?? merged.server?.transportError;
  const checks = [...(merged.server?.checks ?? []), ...(merged.client?.checks ?? [])];
  const status = merged.server?.status ?? merged.client?.status ?? primary.status;
  return outcomeOf({ status, checks, transportError });
}

function pathOf(url: string): string {
  try {
    const u = new URL(url);
    return u.pathname;
  } catch {
    return url;
  }
}

export function statusText(merged: MergedExchange): string {
  const transportError = merged.client?.transportError ?? merged.server?.transportError;
  if (transportError !== undefined) return `✕ ${transportError}`;
  const status = merged.server?.status ?? merged.client?.status ?? null;
  if (status === null) return '…';
  const failed = [...(merged.server?.checks ?? [])].filter((c) => c.outcome === 'failed').length;
  return failed > 0 ? `${status} · ${failed} check${failed === 1 ? '' : 's'} failed` : String(status);
}

/** The rows of one item: a request arrow and its response arrow, or one separator. */
export function rowsOfItem(item: DiagramItem): DiagramRow[] {
  switch (item.kind) {
    case 'exchange': {
      const primary = primaryView(item.exchange);
      const from = laneOf(primary.from);
      const to = laneOf(primary.to);
      const outcome = mergedOutcome(item.exchange);
      const request = `${primary.method} ${pathOf(primary.url)}`;
      const label = primary.label || request;
      return [
        {
          kind: 'request',
          key: `${item.key}:req`,
          itemKey: item.key,
          from,
          to,
          text: label,
          request,
          outcome,
          traceId: primary.traceId,
        },
        {
          kind: 'response',
          key: `${item.key}:res`,
          itemKey: item.key,
          from: to,
          to: from,
          text: statusText(item.exchange),
          request,
          outcome,
          traceId: primary.traceId,
        },
      ];
    }
    case 'clock': {
      const ms = item.event.offsetMs;
      const offset = ms === 0 ? 'real time' : `${ms > 0 ? '+' : ''}${formatOffset(ms)}`;
      return [
        {
          kind: 'clock',
          key: `${item.key}:row`,
          itemKey: item.key,
          text: `Lab clock → ${offset} (${item.event.reason})`,
        },
      ];
    }
    case 'note':
      return [{ kind: 'note', key: `${item.key}:row`, itemKey: item.key, text: item.event.text }];
  }
}

/** `+61 s`, `+10 min 1 s`, `-5 s`. */
export function formatOffset(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  let s = Math.round(Math.abs(ms) / 1000);
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const parts: string[] = [];
  if (h) parts.push(`${h} h`);
  if (m) parts.push(`${m} min`);
  if (s || parts.length === 0) parts.push(`${s} s`);
  return sign + parts.join(' ');
}

/** A CORS preflight (Fetch Standard §4.8): the browser's OPTIONS before a cross-origin fetch. */
export function isPreflight(item: DiagramItem): boolean {
  return item.kind === 'exchange' && primaryView(item.exchange).method.toUpperCase() === 'OPTIONS';
}

/** Text a search matches against: label, method, URL, status, check ids and refs, note text. */
export function searchTextOf(item: DiagramItem): string {
  switch (item.kind) {
    case 'exchange': {
      const views = [item.exchange.server, item.exchange.client].filter(
        (v): v is Exchange => v !== undefined,
      );
      return views
        .flatMap((v) => [
          v.label,
          v.method,
          v.url,
          String(v.status ?? ''),
          v.transportError ?? '',
          ...v.checks.flatMap((c) => [c.id, c.ref, c.outcome === 'failed' ? 'failed' : '']),
          ...v.jwts.map((j) => j.kind),
        ])
        .join(' ')
        .toLowerCase();
    }
    case 'clock':
      return `clock ${item.event.reason}`.toLowerCase();
    case 'note':
      return item.event.text.toLowerCase();
  }
}

/**
 * The rows to draw, in order, keeping only items that match `query` (every word must appear).
 * Row objects of unchanged items are reused through `cache`, so memoised row views do not redraw.
 */
export function visibleRows(
  model: DiagramModel,
  query = '',
  cache?: RowCache,
  options: { hidePreflights?: boolean } = {},
): DiagramRow[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const rows: DiagramRow[] = [];
  for (const item of model.items) {
    if (options.hidePreflights && isPreflight(item)) continue;
    if (words.length > 0) {
      const text = searchTextOf(item);
      if (!words.every((w) => text.includes(w))) continue;
    }
    const itemRows = cache ? cache.rowsOf(item) : rowsOfItem(item);
    for (const row of itemRows) rows.push(row);
  }
  return rows;
}

/** Remembers each item's rows until that item changes (a merge replaces one view). */
export interface RowCache {
  rowsOf(item: DiagramItem): DiagramRow[];
}

export function createRowCache(): RowCache {
  const cache = new WeakMap<DiagramItem, { server?: Exchange; client?: Exchange; rows: DiagramRow[] }>();
  return {
    rowsOf(item) {
      const hit = cache.get(item);
      const server = item.kind === 'exchange' ? item.exchange.server : undefined;
      const client = item.kind === 'exchange' ? item.exchange.client : undefined;
      if (hit && hit.server === server && hit.client === client) return hit.rows;
      const rows = rowsOfItem(item);
      cache.set(item, { server, client, rows });
      return rows;
    },
  };
}

const rowCaches = new WeakMap<DiagramModel, RowCache>();

/** The row cache of a model (one per model: showing a recording replaces the model). */
export function rowCacheFor(model: DiagramModel): RowCache {
  let cache = rowCaches.get(model);
  if (!cache) {
    cache = createRowCache();
    rowCaches.set(model, cache);
  }
  return cache;
}
