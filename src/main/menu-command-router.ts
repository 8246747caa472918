import type { MenuCommand } from '../common/ipc-contract';
import type { MainCommand } from './menu-template';

/** What each menu command needs from the outside world. */
export interface MenuCommandActions {
  /** Hands a command to the lab UI (it knows the current recording and the theme). */
  sendToLabUi(command: MenuCommand): void;
  resetLab(): Promise<void>;
  revealDataDirectory(): Promise<void>;
  showAbout(): Promise<void>;
  openDocumentation(): Promise<void>;
}

/** Where each menu command goes: the lab UI for what it owns, the main process for the rest. */
export async function routeMenuCommand(command: MainCommand, actions: MenuCommandActions): Promise<void> {
  switch (command) {
    case 'open-recording':
    case 'export-recording':
    case 'toggle-theme':
      actions.sendToLabUi(command);
      return;
    case 'reset-lab':
      return actions.resetLab();
    case 'reveal-data-directory':
      return actions.revealDataDirectory();
    case 'about':
      return actions.showAbout();
    case 'documentation':
      return actions.openDocumentation();
  }
}
