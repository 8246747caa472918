import type { LabClientInfo } from '../../common/lab-api';
import { DemoClient } from '../../client/flow';
import { ClientClock } from '../../client/clock';
import { ClientCheckError, OAuthResponseError } from '../../client/errors';
import type { PreparedRequest } from '../../client/http';
import { useFlowStore } from '../stores/flow-store';
import { labNow, useLabStore } from '../stores/lab-store';
import { useUiStore } from '../stores/ui-store';
import { useInspectorStore } from '../stores/inspector-store';
import { waitForCallback } from './callback-channel';
import { demoClientConfigFor, resourceUrl } from './demo-client-config';
import type { FlowStep, StepId } from './flow-steps';

const POPUP_NAME = 'trusty-lab-login';
const POPUP_FEATURES = 'popup,width=520,height=720';

/** Plain words for what went wrong in a step. */
export function describeError(e: unknown): string {
  if (e instanceof OAuthResponseError) {
    const status = e.status === null ? '' : ` (HTTP ${e.status})`;
    return `${e.error}${e.error_description ? `: ${e.error_description}` : ''}${status}`;
  }
  if (e instanceof ClientCheckError) return e.message;
  return e instanceof Error ? e.message : String(e);
}

/**
 * Runs the demo flow step by step on a DemoClient: one fresh client (hence one fresh
 * non-extractable DPoP key and one trace id) and one new recording per flow; every exchange the
 * client makes is reported to the lab so it merges with the server's view in the diagram.
 */
class FlowController {
  private client: DemoClient | null = null;
  private clientInfo: LabClientInfo | null = null;
  private abort = new AbortController();
  private readonly clock = new ClientClock();

  setClockOffset(ms: number): void {
    this.clock.setOffset(ms);
  }

  /** Forgets the current flow; the next step starts a new one. */
  newFlow(): void {
    this.abort.abort();
    useFlowStore.getState().setRunning(false);
    this.abort = new AbortController();
    this.client = null;
    useFlowStore.getState().pending?.cancel();
    useFlowStore.getState().resetFlow();
  }

  selectClient(client: LabClientInfo): void {
    this.clientInfo = client;
    this.newFlow();
    useFlowStore.getState().selectClient(client);
  }

  private async ensureClient(): Promise<DemoClient> {
    if (this.client) return this.client;
    const { api, session } = useLabStore.getState();
    const info = this.clientInfo;
    if (!api || !session || !info) throw new Error('the lab session is not loaded');
    this.clock.setOffset(useLabStore.getState().clock.offsetMs);
    const client = new DemoClient({
      ...demoClientConfigFor(info, session.issuer, window.location.origin),
      clock: this.clock,
      onExchange: (report) => {
        api.reportClientExchange(report).catch((e: unknown) => {
          console.warn('could not report a client exchange to the lab', e instanceof Error ? e.message : e);
        });
      },
      presend: (request) => this.present(request),
    });
    // A flow is one recording: the inspector can show (and export) exactly this run.
    const stamp = new Date(
      labNow(useLabStore.getState().clock, useLabStore.getState().clockReadAt),
    ).toISOString();
    try {
      const recording = await api.createRecording(
        `${info.client_id} · ${stamp.slice(0, 19).replace('T', ' ')}`,
      );
      useLabStore.getState().setCurrentRecording(recording.id);
      api
        .recordings()
        .then((list) => useLabStore.getState().setRecordings(list))
        .catch(() => undefined);
      const filter = useInspectorStore.getState().filter;
      if (filter.kind === 'recording' && filter.followLive)
        useInspectorStore.getState().showRecording(recording.id, [], true);
    } catch (e) {
      useUiStore.getState().notify(`Could not start a new recording: ${describeError(e)}`, 'error');
    }
    const flow = await client.startFlow();
    useFlowStore.getState().setDpopThumbprint(flow.dpopKey?.thumbprint ?? null);
    this.client = client;
    return client;
  }

  /** Presenter mode: hold each request until the trainer presses Send. */
  private present(
    request: PreparedRequest,
    stepTitle = 'Request',
    opensPopup = false,
    onSend?: () => void,
  ): Promise<void> {
    if (!useUiStore.getState().presenter) {
      onSend?.();
      return Promise.resolve();
    }
    const signal = this.abort.signal;
    return new Promise<void>((resolve, reject) => {
      const current = useFlowStore
        .getState()
        .steps.find((s) => useFlowStore.getState().status[s.id] === 'running');
      useFlowStore.getState().setPending({
        stepTitle: current?.title ?? stepTitle,
        request,
        opensPopup,
        send: () => {
          useFlowStore.getState().setPending(null);
          onSend?.();
          resolve();
        },
        cancel: () => {
          useFlowStore.getState().setPending(null);
          reject(new Error('cancelled by the presenter'));
        },
      });
      signal.addEventListener('abort', () => reject(new Error('cancelled')), { once: true });
    });
  }

  /** Opens the provider page in a popup; a blocked popup turns into a button the user clicks. */
  private openPopup(url: string): void {
    const popup = window.open(url, POPUP_NAME, POPUP_FEATURES);
    useFlowStore.getState().setPopupBlocked(popup ? null : url);
  }

  openBlockedPopup(): void {
    const url = useFlowStore.getState().popupBlockedUrl;
    if (url) this.openPopup(url);
  }

  private async viaPopup(url: string, label: string): Promise<string> {
    // Listen before opening, so a fast redirect cannot be missed.
    const callback = waitForCallback(this.abort.signal);
    await this.present({ label, method: 'GET', url, headers: {}, body: null }, label, true, () =>
      this.openPopup(url),
    );
    try {
      return await callback;
    } finally {
      useFlowStore.getState().setPopupBlocked(null);
    }
  }

  private async perform(id: StepId, client: DemoClient): Promise<string> {
    const flowStore = useFlowStore.getState();
    const issuer = useLabStore.getState().session?.issuer ?? '';
    const now = () => labNow(useLabStore.getState().clock, useLabStore.getState().clockReadAt);
    switch (id) {
      case 'discover': {
        const r = await client.discover();
        const m = r.metadata;
        return `Issuer ${m.issuer}; PAR ${m.require_pushed_authorization_requests ? 'required' : 'available'}; iss in response ${m.authorization_response_iss_parameter_supported ? 'yes' : 'no'}.`;
      }
      case 'par': {
        const r = await client.pushAuthorizationRequest();
        return `request_uri ${r.request_uri} (expires in ${r.expires_in} s).`;
      }
      case 'authorize': {
        const callbackUrl = await this.viaPopup(await client.authorizationUrl(), 'authorize');
        const r = await client.handleCallback(callbackUrl);
        return `Code received; state matches${r.iss ? '; iss matches the issuer' : ''}.`;
      }
      case 'token': {
        const r = await client.exchangeCode();
        flowStore.setTokens({ ...(client.flow.tokens ?? r.tokens) }, now());
        const sub = r.idToken?.claims.sub;
        return `token_type ${r.tokens.token_type}, expires in ${r.tokens.expires_in ?? '?'} s${r.tokens.refresh_token ? ', refresh token' : ''}${r.idToken ? `; ID token valid${typeof sub === 'string' ? ` (sub ${sub})` : ''}` : ''}.`;
      }
      case 'client_credentials': {
        const r = await client.clientCredentials();
        flowStore.setTokens({ ...(client.flow.tokens ?? r.tokens) }, now());
        return `token_type ${r.tokens.token_type}, expires in ${r.tokens.expires_in ?? '?'} s${r.tokens.scope ? `, scope ${r.tokens.scope}` : ''}.`;
      }
      case 'userinfo': {
        const r = await client.userinfo();
        const json = (r.json ?? {}) as Record<string, unknown>;
        return `HTTP ${r.status}: ${Object.keys(json).join(', ') || r.body.slice(0, 80)}.`;
      }
      case 'resource': {
        const r = await client.callResource(resourceUrl(issuer));
        return `HTTP ${r.status}: ${r.body.slice(0, 100)}`;
      }
      case 'refresh': {
        const r = await client.refresh();
        flowStore.setTokens({ ...(client.flow.tokens ?? r.tokens) }, now());
        return `New access token (expires in ${r.tokens.expires_in ?? '?'} s)${r.tokens.refresh_token ? ', refresh token returned' : ''}.`;
      }
      case 'introspect': {
        const token = client.flow.tokens?.access_token;
        if (!token) throw new Error('no access token to introspect');
        const r = await client.introspect(token, 'access_token');
        flowStore.setIntrospection(r.response);
        const cnf = r.response.cnf as { jkt?: unknown } | undefined;
        return `active: ${String(r.response.active)}${cnf?.jkt ? `; cnf.jkt ${String(cnf.jkt)}` : ''}.`;
      }
      case 'revoke': {
        const tokens = client.flow.tokens;
        const token = tokens?.refresh_token ?? tokens?.access_token;
        if (!token) throw new Error('no token to revoke');
        await client.revoke(token, tokens?.refresh_token ? 'refresh_token' : 'access_token');
        return `${tokens?.refresh_token ? 'Refresh' : 'Access'} token revoked (HTTP 200).`;
      }
      case 'logout': {
        const url = await client.endSessionUrl({ state: crypto.randomUUID() });
        if (!client.config.post_logout_redirect_uri) {
          this.openPopup(url);
          return 'Logout page opened (no post_logout_redirect_uri registered for the lab).';
        }
        await this.viaPopup(url, 'end_session');
        return 'Session ended at the provider; back at post_logout_redirect_uri.';
      }
    }
  }

  async runStep(step: FlowStep): Promise<boolean> {
    // A step of a flow the user has since abandoned ("New flow") must not write into the new one.
    const signal = this.abort.signal;
    const store = useFlowStore.getState();
    store.setStatus(step.id, 'running');
    try {
      const client = await this.ensureClient();
      const summary = await this.perform(step.id, client);
      if (signal.aborted) return false;
      useFlowStore.getState().setStatus(step.id, 'done', { summary });
      return true;
    } catch (e) {
      if (signal.aborted) return false;
      useFlowStore.getState().setStatus(step.id, 'failed', { summary: 'Failed', error: describeError(e) });
      return false;
    }
  }

  async runNext(): Promise<void> {
    const store = useFlowStore.getState();
    const step = store.next();
    if (!step || store.running) return;
    store.setRunning(true);
    try {
      await this.runStep(step);
    } finally {
      useFlowStore.getState().setRunning(false);
    }
  }

  async runAll(): Promise<void> {
    if (useFlowStore.getState().running) return;
    useFlowStore.getState().setRunning(true);
    try {
      for (;;) {
        const step = useFlowStore.getState().next();
        if (!step) break;
        if (!(await this.runStep(step))) break;
      }
    } finally {
      useFlowStore.getState().setRunning(false);
    }
  }
}

export const flowController = new FlowController();
