import { describe, expect, it, vi } from 'vitest';
import { routeMenuCommand, type MenuCommandActions } from '../../../src/main/menu-command-router';
import {
  buildMenuTemplate,
  mainCommands,
  type MenuItemSpec,
  type MenuSpec,
} from '../../../src/main/menu-template';

function submenu(spec: MenuSpec[], label: string): MenuItemSpec[] {
  const menu = spec.find((m) => 'label' in m && m.label.replace('&', '') === label);
  if (!menu || !('items' in menu)) throw new Error(`no ${label} menu`);
  return menu.items;
}

function everyItem(spec: MenuSpec[]): MenuItemSpec[] {
  return spec.flatMap((m) => ('items' in m ? m.items : []));
}

const linux = { isPackaged: true, platform: 'linux', productName: 'TRusTY Lab' };

describe('buildMenuTemplate', () => {
  it('has File, View and Help with the required entries', () => {
    const spec = buildMenuTemplate(linux);
    const commands = (label: string) =>
      submenu(spec, label).flatMap((i) =>
        i.kind === 'command' ? [i.command] : i.kind === 'role' ? [i.role] : [],
      );
    expect(commands('File')).toEqual([
      'open-recording',
      'export-recording',
      'reveal-data-directory',
      'reset-lab',
      'quit',
    ]);
    expect(commands('View')).toEqual(['zoomIn', 'zoomOut', 'resetZoom', 'toggle-theme', 'togglefullscreen']);
    expect(commands('Help')).toEqual(['documentation', 'about']);
  });

  it('offers developer tools only in development builds', () => {
    const roles = (spec: MenuSpec[]) => everyItem(spec).flatMap((i) => (i.kind === 'role' ? [i.role] : []));
    expect(roles(buildMenuTemplate(linux))).not.toContain('toggleDevTools');
    expect(roles(buildMenuTemplate({ ...linux, isPackaged: false }))).toContain('toggleDevTools');
  });

  it('gives every shortcut to one entry only', () => {
    const accelerators = everyItem(buildMenuTemplate({ ...linux, isPackaged: false })).flatMap((i) =>
      i.kind !== 'separator' && i.accelerator ? [i.accelerator] : [],
    );
    expect(accelerators.length).toBeGreaterThanOrEqual(8);
    expect(new Set(accelerators).size).toBe(accelerators.length);
  });

  it('has keyboard shortcuts for the file commands and zoom', () => {
    const file = submenu(buildMenuTemplate(linux), 'File');
    for (const item of file) {
      if (item.kind === 'command') expect(item.accelerator, item.command).toBeTruthy();
    }
  });

  it('follows macOS conventions there: app menu, no Quit in File, window menu', () => {
    const spec = buildMenuTemplate({ ...linux, platform: 'darwin' });
    expect(spec[0]).toEqual({ role: 'appMenu' });
    expect(spec).toContainEqual({ role: 'windowMenu' });
    expect(submenu(spec, 'File').some((i) => i.kind === 'role' && i.role === 'quit')).toBe(false);
  });

  it('uses only known commands', () => {
    for (const item of everyItem(buildMenuTemplate(linux))) {
      if (item.kind === 'command') expect(mainCommands).toContain(item.command);
    }
  });
});

describe('routeMenuCommand', () => {
  function actions() {
    return {
      sendToLabUi: vi.fn((_command: string) => undefined),
      resetLab: vi.fn(async () => undefined),
      revealDataDirectory: vi.fn(async () => undefined),
      showAbout: vi.fn(async () => undefined),
      openDocumentation: vi.fn(async () => undefined),
    } satisfies MenuCommandActions;
  }

  it('hands the UI-owned commands to the lab UI', async () => {
    for (const command of ['open-recording', 'export-recording', 'toggle-theme'] as const) {
      const a = actions();
      await routeMenuCommand(command, a);
      expect(a.sendToLabUi).toHaveBeenCalledExactlyOnceWith(command);
      expect(a.resetLab).not.toHaveBeenCalled();
    }
  });

  it('runs the main-process commands itself, never through the UI', async () => {
    const cases = [
      ['reset-lab', 'resetLab'],
      ['reveal-data-directory', 'revealDataDirectory'],
      ['about', 'showAbout'],
      ['documentation', 'openDocumentation'],
    ] as const;
    for (const [command, action] of cases) {
      const a = actions();
      await routeMenuCommand(command, a);
      expect(a[action]).toHaveBeenCalledOnce();
      expect(a.sendToLabUi).not.toHaveBeenCalled();
    }
  });
});
