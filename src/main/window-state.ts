import * as z from 'zod';

/** A rectangle in screen coordinates (Electron's Rectangle shape). */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What is remembered of the main window between launches. */
export interface WindowState {
  /** Absent: let the window manager place it (centered). */
  x?: number;
  y?: number;
  width: number;
  height: number;
  isMaximized: boolean;
}

export const MIN_WINDOW_WIDTH = 800;
export const MIN_WINDOW_HEIGHT = 560;
export const DEFAULT_WINDOW_STATE: WindowState = { width: 1400, height: 900, isMaximized: false };

/** How much of the window must stay on a display for the saved position to be kept. */
const MIN_VISIBLE = { width: 160, height: 80 } as const;

const coordinate = z.number().int().min(-100_000).max(100_000);
const size = z.number().int().min(1).max(100_000);

const windowStateSchema = z
  .object({
    x: coordinate.optional(),
    y: coordinate.optional(),
    width: size,
    height: size,
    isMaximized: z.boolean().default(false),
  })
  .strict();

/**
 * The saved file is user-writable: parse it strictly and fall back to defaults on anything odd
 * (bad JSON, wrong types, a lone x without y) rather than open a broken window.
 */
export function parseWindowState(text: string | null): WindowState {
  if (text === null) return { ...DEFAULT_WINDOW_STATE };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ...DEFAULT_WINDOW_STATE };
  }
  const parsed = windowStateSchema.safeParse(json);
  if (!parsed.success) return { ...DEFAULT_WINDOW_STATE };
  const { x, y, width, height, isMaximized } = parsed.data;
  if ((x === undefined) !== (y === undefined)) return { width, height, isMaximized };
  return x !== undefined && y !== undefined
    ? { x, y, width, height, isMaximized }
    : { width, height, isMaximized };
}

export function serializeWindowState(state: WindowState): string {
  return `${JSON.stringify(state, null, 2)}\n`;
}

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return { width: Math.max(0, width), height: Math.max(0, height) };
}

/**
 * Fits a remembered state to the displays present now (a monitor may have been unplugged or the
 * resolution changed): the size is capped to the work area of the display it lands on, and a
 * position that would leave less than a grabbable strip of the window visible is dropped, so the
 * window opens centered instead of off-screen.
 * `workAreas` are the displays' work areas, the primary one first.
 */
export function clampToDisplays(state: WindowState, workAreas: readonly Rect[]): WindowState {
  const primary = workAreas[0];
  if (!primary) return { ...state };
  const minWidth = Math.min(MIN_WINDOW_WIDTH, primary.width);
  const minHeight = Math.min(MIN_WINDOW_HEIGHT, primary.height);

  let host: Rect = primary;
  let positioned = false;
  if (state.x !== undefined && state.y !== undefined) {
    const rect: Rect = { x: state.x, y: state.y, width: state.width, height: state.height };
    let best = 0;
    for (const area of workAreas) {
      const o = overlap(rect, area);
      const visible = o.width * o.height;
      if (o.width >= MIN_VISIBLE.width && o.height >= MIN_VISIBLE.height && visible > best) {
        best = visible;
        host = area;
        positioned = true;
      }
    }
  }

  const width = Math.max(minWidth, Math.min(state.width, host.width));
  const height = Math.max(minHeight, Math.min(state.height, host.height));
  if (!positioned || state.x === undefined || state.y === undefined) {
    return { width, height, isMaximized: state.isMaximized };
  }
  // Keep it inside the host display: the title bar in particular must stay reachable.
  const x = Math.min(Math.max(state.x, host.x), host.x + host.width - width);
  const y = Math.min(Math.max(state.y, host.y), host.y + host.height - height);
  return { x, y, width, height, isMaximized: state.isMaximized };
}
