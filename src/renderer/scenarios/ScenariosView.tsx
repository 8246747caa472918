import { useEffect, useMemo } from 'react';
import { useStore } from 'zustand';
import type { ScenarioInfo, ScenarioResult } from '../../scenarios/types';
import { groupByCategory, resultView, tally } from './scenarios-model';
import {
  createScenariosStore,
  type RunScope,
  type ScenariosLabApi,
  type ScenariosState,
} from './scenarios-store';
import type { StoreApi } from 'zustand/vanilla';

export interface ScenariosViewProps {
  labApi: ScenariosLabApi;
  /** Opens a recording in the inspector. */
  onOpenRecording(recordingId: string): void;
  /** Tests: a prepared store. */
  store?: StoreApi<ScenariosState>;
}

const isRunning = (running: RunScope | null, scope: RunScope): boolean =>
  running !== null && JSON.stringify(running) === JSON.stringify(scope);

function ResultLine({
  result,
  onOpenRecording,
}: {
  result: ScenarioResult;
  onOpenRecording(id: string): void;
}) {
  const view = resultView(result);
  return (
    <div className={`scenario-result scenario-result-${view.outcome}`} data-outcome={view.outcome}>
      <span className="scenario-mark" aria-label={view.outcome}>
        {view.mark}
      </span>{' '}
      <span className="scenario-expected">expected {view.expected}</span>
      {' · '}
      <span className="scenario-actual">actual {view.actual}</span>
      {view.reason && view.outcome !== 'pass' ? <div className="scenario-reason">{view.reason}</div> : null}
      {view.recordingId ? (
        <button
          type="button"
          className="btn btn-small scenario-open"
          onClick={() => onOpenRecording(view.recordingId as string)}
        >
          Open recording
        </button>
      ) : null}
    </div>
  );
}

function ScenarioRow(props: {
  scenario: ScenarioInfo;
  result: ScenarioResult | undefined;
  disabled: boolean;
  busy: boolean;
  run(scope: RunScope): void;
  onOpenRecording(id: string): void;
}) {
  const { scenario, result } = props;
  return (
    <li className="scenario" data-scenario-id={scenario.id}>
      <div className="scenario-head">
        <strong>{scenario.title}</strong> <code>{scenario.id}</code>
        {scenario.needsLabClock ? <span className="scenario-tag">moves the lab clock</span> : null}
        {scenario.baseline ? <span className="scenario-tag">baseline</span> : null}
        <button
          type="button"
          className="btn btn-small"
          disabled={props.disabled}
          onClick={() => props.run({ id: scenario.id })}
        >
          {props.busy ? 'Running…' : 'Run'}
        </button>
      </div>
      <p className="scenario-description">{scenario.description}</p>
      <details>
        <summary>Why this matters</summary>
        <p>{scenario.teaching}</p>
        <p className="scenario-clause">{scenario.clause}</p>
      </details>
      {result ? <ResultLine result={result} onOpenRecording={props.onOpenRecording} /> : null}
    </li>
  );
}

/**
 * The Scenarios view: the edge-case library by category; run one scenario, a category or all of
 * them in the lab; each result shows what the specs require next to what the provider answered, and
 * opens its recording in the inspector.
 */
export function ScenariosView({ labApi, onOpenRecording, store: given }: ScenariosViewProps) {
  const store = useMemo(() => given ?? createScenariosStore(labApi), [given, labApi]);
  const catalogue = useStore(store, (s) => s.catalogue);
  const results = useStore(store, (s) => s.results);
  const running = useStore(store, (s) => s.running);
  const loading = useStore(store, (s) => s.loading);
  const error = useStore(store, (s) => s.error);
  const run = useStore(store, (s) => s.run);

  useEffect(() => {
    if (store.getState().catalogue.length === 0) void store.getState().load();
  }, [store]);

  const groups = groupByCategory(catalogue);
  const all = tally(Object.values(results));
  return (
    <section className="scenarios" aria-label="Scenarios">
      <header className="scenarios-toolbar">
        <button
          type="button"
          className="btn primary"
          disabled={running !== null || catalogue.length === 0}
          onClick={() => void run({ all: true })}
        >
          {isRunning(running, { all: true }) ? 'Running all…' : `Run all ${catalogue.length}`}
        </button>
        <span className="scenarios-tally" aria-live="polite">
          {all.pass} passed, {all.fail} failed, {all.skip} skipped
        </span>
      </header>
      {loading ? <p>Loading the scenarios…</p> : null}
      {error ? (
        <p role="alert" className="scenarios-error">
          {error}
        </p>
      ) : null}
      {groups.map((group) => {
        const counts = tally(group.scenarios.map((s) => results[s.id]));
        return (
          <section
            key={group.category}
            className="scenario-category"
            aria-labelledby={`scenarios-${group.category}`}
          >
            <h2 id={`scenarios-${group.category}`}>
              {group.label}{' '}
              <small>
                {group.scenarios.length} scenarios · {counts.pass} ✓ {counts.fail} ✗ {counts.skip} –
              </small>
            </h2>
            <button
              type="button"
              className="btn btn-small"
              disabled={running !== null}
              onClick={() => void run({ category: group.category })}
            >
              {isRunning(running, { category: group.category }) ? 'Running…' : 'Run category'}
            </button>
            <ul>
              {group.scenarios.map((scenario) => (
                <ScenarioRow
                  key={scenario.id}
                  scenario={scenario}
                  result={results[scenario.id]}
                  disabled={running !== null}
                  busy={isRunning(running, { id: scenario.id })}
                  run={(scope) => void run(scope)}
                  onOpenRecording={onOpenRecording}
                />
              ))}
            </ul>
          </section>
        );
      })}
    </section>
  );
}
