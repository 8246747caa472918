import { create } from 'zustand';
import type { LabClockState, LabSession } from '../../common/lab-api';
import type { RecordingSummary } from '../../common/lab-events';
import type { JSONWebKeySet } from 'jose';
import type { LabApiClient } from '../lab/lab-api-client';
import type { StreamStatus } from '../lab/event-stream';

interface LabState {
  api: LabApiClient | null;
  session: LabSession | null;
  /** The provider's published keys, to verify tokens in the UI. */
  jwks: JSONWebKeySet | null;
  clock: LabClockState;
  /** Real time when the clock state was read, to tick the lab clock locally. */
  clockReadAt: number;
  stream: StreamStatus;
  recordings: RecordingSummary[];
  currentRecordingId: string | null;
  fatal: string | null;
  setApi(api: LabApiClient): void;
  setSession(session: LabSession): void;
  setJwks(jwks: JSONWebKeySet | null): void;
  setClock(clock: LabClockState): void;
  setStream(status: StreamStatus): void;
  setRecordings(list: RecordingSummary[]): void;
  setCurrentRecording(id: string): void;
  setFatal(message: string): void;
}

export const useLabStore = create<LabState>((set) => ({
  api: null,
  session: null,
  jwks: null,
  clock: { offsetMs: 0, now: Date.now() },
  clockReadAt: Date.now(),
  stream: 'connecting',
  recordings: [],
  currentRecordingId: null,
  fatal: null,
  setApi(api) {
    set({ api });
  },
  setSession(session) {
    set({
      session,
      clock: session.clock,
      clockReadAt: Date.now(),
      currentRecordingId: session.currentRecordingId,
    });
  },
  setJwks(jwks) {
    set({ jwks });
  },
  setClock(clock) {
    set({ clock, clockReadAt: Date.now() });
  },
  setStream(stream) {
    set({ stream });
  },
  setRecordings(recordings) {
    set({ recordings });
  },
  setCurrentRecording(currentRecordingId) {
    set({ currentRecordingId });
  },
  setFatal(fatal) {
    set({ fatal });
  },
}));

/** The lab clock now (ms), from the last state read and the real time elapsed since. */
export function labNow(clock: LabClockState, readAt: number, realNow = Date.now()): number {
  return clock.now + (realNow - readAt);
}
