import { create } from 'zustand';
import type { LabClientInfo } from '../../common/lab-api';
import type { PreparedRequest } from '../../client/http';
import type { TokenSet } from '../../client/token-response';
import { nextStep, stepsFor, type FlowStep, type StepId, type StepStatus } from '../flow/flow-steps';

/** A request held by presenter mode until the trainer presses Send. */
export interface PendingSend {
  stepTitle: string;
  request: PreparedRequest;
  /** For the authorization and logout steps: the popup opens inside the Send click (a user gesture). */
  opensPopup: boolean;
  send(): void;
  cancel(): void;
}

export interface StepOutcome {
  summary: string;
  error?: string;
}

interface FlowStoreState {
  clientId: string | null;
  steps: FlowStep[];
  status: Partial<Record<StepId, StepStatus>>;
  outcomes: Partial<Record<StepId, StepOutcome>>;
  running: boolean;
  /** Tokens the client holds, and when (lab clock, ms) they were received. */
  tokens: TokenSet | null;
  tokensReceivedAt: number | null;
  /** RFC 7638 thumbprint of this flow's DPoP key. */
  dpopThumbprint: string | null;
  introspection: Record<string, unknown> | null;
  /** The popup was blocked: the user must click to open it. */
  popupBlockedUrl: string | null;
  pending: PendingSend | null;
  selectClient(client: LabClientInfo): void;
  resetFlow(): void;
  setStatus(id: StepId, status: StepStatus, outcome?: StepOutcome): void;
  setRunning(running: boolean): void;
  setTokens(tokens: TokenSet, receivedAt: number): void;
  setDpopThumbprint(jkt: string | null): void;
  setIntrospection(response: Record<string, unknown> | null): void;
  setPopupBlocked(url: string | null): void;
  setPending(pending: PendingSend | null): void;
  next(): FlowStep | undefined;
}

/** What a run of the flow leaves behind; a new run (or another client) starts from this. */
const freshRun = () =>
  ({
    status: {},
    outcomes: {},
    tokens: null,
    tokensReceivedAt: null,
    dpopThumbprint: null,
    introspection: null,
    popupBlockedUrl: null,
    pending: null,
  }) satisfies Partial<FlowStoreState>;

export const useFlowStore = create<FlowStoreState>((set, get) => ({
  clientId: null,
  steps: [],
  running: false,
  ...freshRun(),
  selectClient(client) {
    set({ clientId: client.client_id, steps: stepsFor(client) });
    get().resetFlow();
  },
  resetFlow() {
    set(freshRun());
  },
  setStatus(id, status, outcome) {
    set((s) => ({
      status: { ...s.status, [id]: status },
      outcomes: outcome ? { ...s.outcomes, [id]: outcome } : s.outcomes,
    }));
  },
  setRunning(running) {
    set({ running });
  },
  setTokens(tokens, receivedAt) {
    set({ tokens, tokensReceivedAt: receivedAt });
  },
  setDpopThumbprint(dpopThumbprint) {
    set({ dpopThumbprint });
  },
  setIntrospection(introspection) {
    set({ introspection });
  },
  setPopupBlocked(popupBlockedUrl) {
    set({ popupBlockedUrl });
  },
  setPending(pending) {
    set({ pending });
  },
  next() {
    const { steps, status } = get();
    return nextStep(steps, status);
  },
}));
