import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { MainCommand, MenuItemSpec, MenuSpec } from '../menu-template';

/** Turns the menu data (menu-template.ts) into Electron's Menu; clicks go to `dispatch`. */
export function installMenu(spec: MenuSpec[], dispatch: (command: MainCommand) => void): void {
  const item = (entry: MenuItemSpec): MenuItemConstructorOptions => {
    switch (entry.kind) {
      case 'separator':
        return { type: 'separator' };
      case 'role':
        return {
          role: entry.role,
          ...(entry.label ? { label: entry.label } : {}),
          ...(entry.accelerator ? { accelerator: entry.accelerator } : {}),
        };
      case 'command':
        return {
          label: entry.label,
          ...(entry.accelerator ? { accelerator: entry.accelerator } : {}),
          click: () => dispatch(entry.command),
        };
    }
  };
  const template: MenuItemConstructorOptions[] = spec.map((menu) =>
    'role' in menu ? { role: menu.role } : { label: menu.label, submenu: menu.items.map(item) },
  );
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
