import { useEffect, useMemo } from 'react';
import { useInspectorStore } from '../stores/inspector-store';
import { useLabStore } from '../stores/lab-store';
import { useUiStore } from '../stores/ui-store';
import { CaptureOffNotice } from './CaptureOffNotice';
import { DemoPanel } from './DemoPanel';
import { DetailPanel } from './DetailPanel';
import { HeaderBar } from './HeaderBar';
import { InspectorToolbar } from './InspectorToolbar';
import { PresenterDialog } from './PresenterDialog';
import { SequenceDiagram } from './SequenceDiagram';
import { TokensPanel } from './TokensPanel';
import { ScenariosView } from '../scenarios/ScenariosView';
import { scenariosApiFrom } from '../scenarios/scenarios-store';
import { openScenarioRecording } from '../scenarios/open-scenario-recording';

function Toast() {
  const toast = useUiStore((s) => s.toast);
  const dismiss = useUiStore((s) => s.dismissToast);
  useEffect(() => {
    if (!toast) return;
    const t = setTimeout(dismiss, toast.tone === 'error' ? 8000 : 4000);
    return () => clearTimeout(t);
  }, [toast, dismiss]);
  return (
    <div className="toast-region" role="status" aria-live="polite">
      {toast && (
        <div className={`toast ${toast.tone}`}>
          {toast.text}
          <button type="button" className="btn btn-small" onClick={dismiss} aria-label="Dismiss">
            ✕
          </button>
        </div>
      )}
    </div>
  );
}

export function App() {
  const tab = useUiStore((s) => s.tab);
  const theme = useUiStore((s) => s.theme);
  const presenter = useUiStore((s) => s.presenter);
  const fatal = useLabStore((s) => s.fatal);
  const api = useLabStore((s) => s.api);
  const capture = useLabStore((s) => s.session?.capture);
  // One adapter per lab connection: the view keeps its results across tab switches.
  const scenariosApi = useMemo(() => (api ? scenariosApiFrom(api) : undefined), [api]);
  const detailOpen = useInspectorStore((s) => s.selectedKey !== null);

  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'system') delete root.dataset.theme;
    else root.dataset.theme = theme;
  }, [theme]);
  useEffect(() => {
    document.documentElement.classList.toggle('presenter-mode', presenter);
  }, [presenter]);

  if (fatal) {
    return (
      <main className="fatal">
        <h1>TRusTY Lab</h1>
        <p role="alert">{fatal}</p>
      </main>
    );
  }

  return (
    <div className={`app${detailOpen ? ' with-detail' : ''}`}>
      <HeaderBar />
      {tab === 'demo' && (
        <main id="view-demo" role="tabpanel" aria-labelledby="tab-demo" className="view demo-view">
          <DemoPanel />
          <section className="panel live" aria-labelledby="live-title">
            <header className="panel-head">
              <h2 id="live-title">Live sequence</h2>
            </header>
            <SequenceDiagram label="Live sequence diagram" />
          </section>
          <TokensPanel />
        </main>
      )}
      {tab === 'inspector' && (
        <main
          id="view-inspector"
          role="tabpanel"
          aria-labelledby="tab-inspector"
          className={`view inspector-view${capture === false ? ' with-notice' : ''}`}
        >
          <CaptureOffNotice capture={capture} />
          <InspectorToolbar />
          <SequenceDiagram />
        </main>
      )}
      {tab === 'scenarios' && scenariosApi && (
        <main
          id="view-scenarios"
          role="tabpanel"
          aria-labelledby="tab-scenarios"
          className="view scenarios-view"
        >
          <ScenariosView labApi={scenariosApi} onOpenRecording={(id) => void openScenarioRecording(id)} />
        </main>
      )}
      <DetailPanel />
      <PresenterDialog />
      <Toast />
    </div>
  );
}
