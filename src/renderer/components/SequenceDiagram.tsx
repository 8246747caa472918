import { memo, useCallback, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import {
  isMessageRow,
  LANES,
  laneTitles,
  rowCacheFor,
  visibleRows,
  type DiagramRow,
  type Lane,
} from '../model/diagram-model';
import { outcomeLabel, toneOf } from '../model/outcome';
import { APPEND_MARK, APPEND_MEASURE, useInspectorStore } from '../stores/inspector-store';

/** Fixed row height: the list is virtualised, so only the rows in view exist in the DOM. */
export const ROW_HEIGHT = 34;
const OVERSCAN = 12;

function laneX(lane: Lane): number {
  return ((LANES.indexOf(lane) + 0.5) / LANES.length) * 100;
}

export function rowDomId(row: DiagramRow): string {
  return `row-${row.key.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

function rowLabel(row: DiagramRow): string {
  if (!isMessageRow(row)) return row.text;
  const direction = `${laneTitles[row.from]} to ${laneTitles[row.to]}`;
  return row.kind === 'request'
    ? `Request ${row.text} (${row.request}), ${direction}, ${outcomeLabel(row.outcome)}`
    : `Response ${row.text} to ${row.request}, ${direction}`;
}

const Row = memo(function Row({
  row,
  top,
  active,
  selected,
  onPick,
}: {
  row: DiagramRow;
  top: number;
  active: boolean;
  selected: boolean;
  onPick(row: DiagramRow): void;
}) {
  const common = {
    id: rowDomId(row),
    role: 'option' as const,
    'aria-selected': active,
    'aria-label': rowLabel(row),
    style: { top, height: ROW_HEIGHT },
    onClick: () => onPick(row),
  };
  if (!isMessageRow(row)) {
    return (
      <div {...common} className={`drow sep sep-${row.kind}${active ? ' active' : ''}`}>
        <span className="sep-text">
          {row.kind === 'clock' ? '◷ ' : '✎ '}
          {row.text}
        </span>
      </div>
    );
  }
  const a = laneX(row.from);
  const b = laneX(row.to);
  const left = Math.min(a, b);
  const width = Math.abs(a - b);
  const self = width === 0;
  const tone = toneOf(row.outcome);
  return (
    <div
      {...common}
      className={`drow msg ${row.kind} tone-${tone}${active ? ' active' : ''}${selected ? ' selected' : ''}`}
      data-outcome={row.outcome}
    >
      <div
        className={`arrow ${a <= b ? 'ltr' : 'rtl'}${self ? ' self' : ''}`}
        style={{ left: `${left}%`, width: self ? '6%' : `${width}%` }}
      >
        <span className="arrow-label" title={row.kind === 'request' ? row.request : undefined}>
          {row.text}
        </span>
      </div>
    </div>
  );
});

export function SequenceDiagram({ label = 'Sequence diagram' }: { label?: string }) {
  const model = useInspectorStore((s) => s.model);
  const version = useInspectorStore((s) => s.version);
  const search = useInspectorStore((s) => s.search);
  const showPreflights = useInspectorStore((s) => s.showPreflights);
  const selectedKey = useInspectorStore((s) => s.selectedKey);
  const activeRowKey = useInspectorStore((s) => s.activeRowKey);
  const select = useInspectorStore((s) => s.select);
  const setActiveRow = useInspectorStore((s) => s.setActiveRow);

  const cache = rowCacheFor(model);
  // `version` changes on every append or merge (the model is mutated in place).
  const rows = useMemo(
    () => visibleRows(model, search, cache, { hidePreflights: !showPreflights }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [model, version, search, cache, showPreflights],
  );

  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);
  const follow = useRef(true);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setViewport(el.clientHeight));
    ro.observe(el);
    setViewport(el.clientHeight);
    return () => ro.disconnect();
  }, []);

  // Keep the newest arrow in view while the user is at the bottom (live mode).
  useLayoutEffect(() => {
    if (performance.getEntriesByName(APPEND_MARK, 'mark').length > 0) {
      performance.measure(APPEND_MEASURE, APPEND_MARK);
      performance.clearMarks(APPEND_MARK);
    }
    const el = scroller.current;
    if (!el || !follow.current) return;
    el.scrollTop = el.scrollHeight;
    setScrollTop(el.scrollTop);
  }, [rows]);

  const onScroll = useCallback(() => {
    const el = scroller.current;
    if (!el) return;
    setScrollTop(el.scrollTop);
    follow.current = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW_HEIGHT;
  }, []);

  const activeIndex = activeRowKey ? rows.findIndex((r) => r.key === activeRowKey) : -1;

  const onPick = useCallback(
    (row: DiagramRow) => {
      setActiveRow(row.key);
      if (row.kind === 'request' || row.kind === 'response') select(row.itemKey);
      else select(null);
      scroller.current?.focus();
    },
    [select, setActiveRow],
  );

  const moveTo = (index: number) => {
    const row = rows[Math.max(0, Math.min(rows.length - 1, index))];
    if (!row) return;
    setActiveRow(row.key);
    const el = scroller.current;
    if (!el) return;
    const i = rows.indexOf(row);
    const top = i * ROW_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_HEIGHT > el.scrollTop + el.clientHeight)
      el.scrollTop = top + ROW_HEIGHT - el.clientHeight;
    setScrollTop(el.scrollTop);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const page = Math.max(1, Math.floor(viewport / ROW_HEIGHT) - 1);
    switch (e.key) {
      case 'ArrowDown':
        moveTo(activeIndex < 0 ? 0 : activeIndex + 1);
        break;
      case 'ArrowUp':
        moveTo(activeIndex < 0 ? rows.length - 1 : activeIndex - 1);
        break;
      case 'PageDown':
        moveTo(activeIndex + page);
        break;
      case 'PageUp':
        moveTo(activeIndex - page);
        break;
      case 'Home':
        moveTo(0);
        break;
      case 'End':
        moveTo(rows.length - 1);
        break;
      case 'Enter':
      case ' ': {
        const row = rows[activeIndex];
        if (row && (row.kind === 'request' || row.kind === 'response')) select(row.itemKey);
        break;
      }
      case 'Escape':
        select(null);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + viewport) / ROW_HEIGHT) + OVERSCAN);
  const windowRows = rows.slice(first, last);
  const activeRow = rows[activeIndex];

  return (
    <div className="diagram">
      <div className="lanes" aria-hidden="true">
        {LANES.map((lane) => (
          <div key={lane} className={`lane-title lane-${lane}`}>
            {laneTitles[lane]}
          </div>
        ))}
      </div>
      <div
        ref={scroller}
        className="diagram-scroll"
        role="listbox"
        aria-label={`${label}: ${rows.length} rows. Arrow keys move, Enter opens details, Escape closes.`}
        tabIndex={0}
        aria-activedescendant={activeRow ? rowDomId(activeRow) : undefined}
        onScroll={onScroll}
        onKeyDown={onKeyDown}
        data-testid="sequence-diagram"
      >
        <div className="diagram-body lifelines" style={{ height: Math.max(rows.length * ROW_HEIGHT, 1) }}>
          {windowRows.map((row, i) => (
            <Row
              key={row.key}
              row={row}
              top={(first + i) * ROW_HEIGHT}
              active={row.key === activeRowKey}
              selected={row.itemKey === selectedKey}
              onPick={onPick}
            />
          ))}
        </div>
        {rows.length === 0 && (
          <p className="empty">
            {search
              ? 'No exchange matches the search.'
              : 'No exchanges yet. Run a step of the demo client to see its requests here.'}
          </p>
        )}
      </div>
    </div>
  );
}
