import type { JSONWebKeySet } from 'jose';
import { flowController } from './flow/flow-controller';
import { runEventStream } from './lab/event-stream';
import { LabApiClient } from './lab/lab-api-client';
import { acquireLabSecret } from './lab/lab-secret';
import { useInspectorStore } from './stores/inspector-store';
import { useLabStore } from './stores/lab-store';
import { useUiStore } from './stores/ui-store';
import { exportRecording, importRecordingText } from './components/InspectorToolbar';
import { describeError } from './flow/flow-controller';

/** The provider's JWKS, through its discovery document (the provider answers CORS for the lab origin). */
async function loadJwks(issuer: string): Promise<JSONWebKeySet | null> {
  try {
    const meta = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as {
      jwks_uri?: string;
    };
    if (!meta.jwks_uri) return null;
    return (await (await fetch(meta.jwks_uri)).json()) as JSONWebKeySet;
  } catch {
    return null;
  }
}

/** Connects the UI to the lab: secret, session, keys, the live event stream, desktop menu commands. */
export async function bootstrap(): Promise<void> {
  const lab = useLabStore.getState();
  const secret = await acquireLabSecret({
    bridge: window.trustyLab,
    location: window.location,
    history: window.history,
    storage: window.sessionStorage,
  }).catch(() => null);
  if (!secret) {
    lab.setFatal(
      'This page needs the lab’s secret. Open the lab with the URL it printed (it ends in #secret=…).',
    );
    return;
  }
  const api = new LabApiClient(secret);
  lab.setApi(api);
  let session;
  try {
    session = await api.session();
  } catch (e) {
    lab.setFatal(`Cannot reach the lab API: ${describeError(e)}`);
    return;
  }
  lab.setSession(session);
  flowController.setClockOffset(session.clock.offsetMs);
  const firstClient =
    session.clients.find((c) => c.grant_types.includes('authorization_code')) ?? session.clients[0];
  if (firstClient) flowController.selectClient(firstClient);
  api
    .recordings()
    .then((list) => useLabStore.getState().setRecordings(list))
    .catch(() => undefined);
  const refreshJwks = () => loadJwks(session.issuer).then((jwks) => useLabStore.getState().setJwks(jwks));
  void refreshJwks();

  const abort = new AbortController();
  window.addEventListener('pagehide', () => abort.abort());
  void runEventStream({
    api,
    signal: abort.signal,
    onStatus: (status, detail) => {
      useLabStore.getState().setStream(status);
      if (status === 'closed' && detail) useUiStore.getState().notify(detail, 'error');
    },
    onEvents: (events) => {
      useInspectorStore.getState().applyLive(events);
      for (const e of events) {
        if (e.type === 'clock') {
          useLabStore.getState().setClock({ offsetMs: e.offsetMs, now: e.at });
          flowController.setClockOffset(e.offsetMs);
        }
        // Key rotation is announced as a note: re-read the keys that verify tokens.
        if (e.type === 'note' && /rotat/i.test(e.text)) void refreshJwks();
      }
    },
  });

  window.trustyLab?.onMenuCommand((command) => {
    const notify = useUiStore.getState().notify;
    if (command === 'toggle-theme')
      useUiStore.getState().cycleTheme(window.matchMedia('(prefers-color-scheme: dark)').matches);
    if (command === 'export-recording')
      exportRecording('json').catch((e: unknown) => notify(describeError(e), 'error'));
    if (command === 'open-recording') {
      window.trustyLab
        ?.openRecordingDialog()
        .then((opened) => (opened ? importRecordingText(opened.content) : undefined))
        .catch((e: unknown) => notify(describeError(e), 'error'));
    }
  });
}
