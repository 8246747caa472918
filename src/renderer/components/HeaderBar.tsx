import { describeError, flowController } from '../flow/flow-controller';
import { formatOffset } from '../model/diagram-model';
import { useLabStore } from '../stores/lab-store';
import { useUiStore, type TabId } from '../stores/ui-store';
import { useLabNow } from './use-lab-now';

export const tabs: { id: TabId; title: string }[] = [
  { id: 'demo', title: 'Demo client' },
  { id: 'inspector', title: 'Inspector' },
  { id: 'scenarios', title: 'Scenarios' },
];

function ClockControls() {
  const api = useLabStore((s) => s.api);
  const clock = useLabStore((s) => s.clock);
  const setClock = useLabStore((s) => s.setClock);
  const notify = useUiStore((s) => s.notify);
  const now = useLabNow();
  const act = (p: Promise<{ offsetMs: number; now: number }> | undefined) => {
    p?.then((c) => {
      setClock(c);
      flowController.setClockOffset(c.offsetMs);
    }).catch((e: unknown) => notify(`Clock: ${describeError(e)}`, 'error'));
  };
  return (
    <div className="clock" role="group" aria-label="Lab clock">
      <span className="clock-face" aria-live="polite" title={new Date(now).toISOString()}>
        <span className="muted small">Lab clock </span>
        {new Date(now).toISOString().slice(11, 19)}
        <span className={`badge ${clock.offsetMs ? 'warn' : 'neutral'}`} data-testid="clock-offset">
          {clock.offsetMs ? `${clock.offsetMs > 0 ? '+' : ''}${formatOffset(clock.offsetMs)}` : 'real time'}
        </span>
      </span>
      <button type="button" className="btn btn-small" onClick={() => act(api?.advanceClock(61))}>
        +61 s
      </button>
      <button type="button" className="btn btn-small" onClick={() => act(api?.advanceClock(600))}>
        +10 min
      </button>
      <button
        type="button"
        className="btn btn-small"
        disabled={clock.offsetMs === 0}
        onClick={() => act(api?.resetClock())}
      >
        Real time
      </button>
    </div>
  );
}

export function HeaderBar() {
  const tab = useUiStore((s) => s.tab);
  const setTab = useUiStore((s) => s.setTab);
  const cycleTheme = useUiStore((s) => s.cycleTheme);
  const notify = useUiStore((s) => s.notify);
  const stream = useLabStore((s) => s.stream);
  const api = useLabStore((s) => s.api);
  const session = useLabStore((s) => s.session);

  return (
    <header className="topbar">
      <div className="brand">
        <span className="logo" aria-hidden="true">
          ◆
        </span>
        <span>
          TRusTY <strong>Lab</strong>
        </span>
      </div>
      <nav role="tablist" aria-label="Views" className="tabs">
        {tabs.map((t) => (
          <button
            key={t.id}
            id={`tab-${t.id}`}
            role="tab"
            type="button"
            aria-selected={tab === t.id}
            aria-controls={`view-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            className={`tab ${tab === t.id ? 'on' : ''}`}
            onClick={() => setTab(t.id)}
            onKeyDown={(e) => {
              const i = tabs.findIndex((x) => x.id === tab);
              const delta = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
              if (!delta) return;
              const nextTab = tabs[(i + delta + tabs.length) % tabs.length];
              if (nextTab) {
                setTab(nextTab.id);
                document.getElementById(`tab-${nextTab.id}`)?.focus();
              }
            }}
          >
            {t.title}
          </button>
        ))}
      </nav>
      <ClockControls />
      <div className="top-actions">
        <button
          type="button"
          className="btn btn-small"
          onClick={() =>
            api
              ?.rotateKeys()
              .then((r) => notify(`Signing keys rotated: ${r.kids.join(', ')}`))
              .catch((e: unknown) => notify(`Key rotation failed: ${describeError(e)}`, 'error'))
          }
        >
          Rotate keys
        </button>
        <button
          type="button"
          className="btn btn-small"
          aria-label="Toggle light or dark theme"
          onClick={() => cycleTheme(window.matchMedia('(prefers-color-scheme: dark)').matches)}
        >
          ◐ Theme
        </button>
        <span className={`conn conn-${stream}`} role="status" title={session?.issuer}>
          <span className="dot" aria-hidden="true" /> {stream === 'live' ? 'live' : stream}
        </span>
      </div>
    </header>
  );
}
