import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  clampToDisplays,
  DEFAULT_WINDOW_STATE,
  parseWindowState,
  serializeWindowState,
  type Rect,
} from '../../../src/main/window-state';
import { readWindowState, writeWindowState } from '../../../src/main/window-state-file';

const fullHd: Rect = { x: 0, y: 0, width: 1920, height: 1040 };
const rightScreen: Rect = { x: 1920, y: 0, width: 2560, height: 1400 };

describe('parseWindowState', () => {
  it('reads a valid state', () => {
    expect(parseWindowState('{"x":10,"y":20,"width":1200,"height":800,"isMaximized":true}')).toEqual({
      x: 10,
      y: 20,
      width: 1200,
      height: 800,
      isMaximized: true,
    });
  });
  it('falls back to the defaults on a missing file, bad JSON or wrong types', () => {
    for (const text of [
      null,
      '',
      '{',
      '[]',
      'null',
      '{"width":"1200","height":800}',
      '{"width":1200.5,"height":800}',
      '{"width":-5,"height":800}',
      '{"width":1200,"height":800,"extra":1}',
    ]) {
      expect(parseWindowState(text)).toEqual(DEFAULT_WINDOW_STATE);
    }
  });
  it('drops a position with only one coordinate', () => {
    expect(parseWindowState('{"x":10,"width":1200,"height":800}')).toEqual({
      width: 1200,
      height: 800,
      isMaximized: false,
    });
  });
  it('round-trips through serializeWindowState', () => {
    const state = { x: 5, y: 6, width: 900, height: 700, isMaximized: false };
    expect(parseWindowState(serializeWindowState(state))).toEqual(state);
  });
});

describe('clampToDisplays', () => {
  it('keeps a window that is fully visible', () => {
    const state = { x: 100, y: 100, width: 1200, height: 800, isMaximized: false };
    expect(clampToDisplays(state, [fullHd])).toEqual(state);
  });
  it('keeps a window on a secondary display that is still there', () => {
    const state = { x: 2000, y: 50, width: 1600, height: 1000, isMaximized: false };
    expect(clampToDisplays(state, [fullHd, rightScreen])).toEqual(state);
  });
  it('re-centres a window whose display was unplugged', () => {
    const state = { x: 2000, y: 50, width: 1600, height: 1000, isMaximized: true };
    expect(clampToDisplays(state, [fullHd])).toEqual({ width: 1600, height: 1000, isMaximized: true });
  });
  it('drops a position that leaves only a sliver visible', () => {
    const state = { x: 1900, y: 100, width: 1200, height: 800, isMaximized: false };
    expect(clampToDisplays(state, [fullHd])).toEqual({ width: 1200, height: 800, isMaximized: false });
  });
  it('caps the size to the display and pulls the window inside it', () => {
    const state = { x: 500, y: 300, width: 5000, height: 3000, isMaximized: false };
    expect(clampToDisplays(state, [fullHd])).toEqual({
      x: 0,
      y: 0,
      width: 1920,
      height: 1040,
      isMaximized: false,
    });
  });
  it('moves a window whose title bar went above the display', () => {
    const state = { x: 100, y: -300, width: 1200, height: 800, isMaximized: false };
    expect(clampToDisplays(state, [fullHd])).toEqual({
      x: 100,
      y: 0,
      width: 1200,
      height: 800,
      isMaximized: false,
    });
  });
  it('never makes a window smaller than the minimum when the display allows it', () => {
    const state = { width: 10, height: 10, isMaximized: false };
    expect(clampToDisplays(state, [fullHd])).toEqual({ width: 800, height: 560, isMaximized: false });
  });
});

describe('window state file', () => {
  let dir = '';
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes then reads the same state, creating the directory', async () => {
    dir = await mkdtemp(join(tmpdir(), 'trusty-ws-'));
    const file = join(dir, 'nested', 'window-state.json');
    const state = { x: 1, y: 2, width: 1000, height: 700, isMaximized: true };
    await writeWindowState(file, state);
    expect(await readWindowState(file)).toEqual(state);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(state);
  });
  it('reads the defaults from a missing or corrupt file', async () => {
    dir = await mkdtemp(join(tmpdir(), 'trusty-ws-'));
    expect(await readWindowState(join(dir, 'absent.json'))).toEqual(DEFAULT_WINDOW_STATE);
    await writeFile(join(dir, 'bad.json'), '{"width": "huge"}');
    expect(await readWindowState(join(dir, 'bad.json'))).toEqual(DEFAULT_WINDOW_STATE);
  });
});
