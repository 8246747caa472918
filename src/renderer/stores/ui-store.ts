import { create } from 'zustand';

export type Theme = 'system' | 'light' | 'dark';
/** The main tabs. */
export type TabId = 'demo' | 'inspector' | 'scenarios';

interface UiState {
  tab: TabId;
  theme: Theme;
  presenter: boolean;
  hideSecrets: boolean;
  toast: { id: number; text: string; tone: 'info' | 'error' } | null;
  setTab(tab: TabId): void;
  cycleTheme(prefersDark: boolean): void;
  setPresenter(on: boolean): void;
  setHideSecrets(on: boolean): void;
  notify(text: string, tone?: 'info' | 'error'): void;
  dismissToast(): void;
}

const THEME_KEY = 'trusty-lab.theme';

function storedTheme(): Theme {
  try {
    const t = globalThis.localStorage?.getItem(THEME_KEY);
    return t === 'light' || t === 'dark' ? t : 'system';
  } catch {
    return 'system';
  }
}

let toastId = 0;

export const useUiStore = create<UiState>((set) => ({
  tab: 'demo',
  theme: storedTheme(),
  presenter: false,
  hideSecrets: false,
  toast: null,
  setTab(tab) {
    set({ tab });
  },
  cycleTheme(prefersDark) {
    set((s) => {
      // A toggle flips what the user sees, whatever the system prefers.
      const shown = s.theme === 'system' ? (prefersDark ? 'dark' : 'light') : s.theme;
      const theme: Theme = shown === 'dark' ? 'light' : 'dark';
      try {
        globalThis.localStorage?.setItem(THEME_KEY, theme);
      } catch {
        // storage unavailable: the choice lasts for this session only
      }
      return { theme };
    });
  },
  setPresenter(presenter) {
    set({ presenter });
  },
  setHideSecrets(hideSecrets) {
    set({ hideSecrets });
  },
  notify(text, tone = 'info') {
    set({ toast: { id: ++toastId, text, tone } });
  },
  dismissToast() {
    set({ toast: null });
  },
}));
