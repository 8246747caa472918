import { formAction, hiddenInputs } from './form-fields';
import { html } from './html';
import type { Locale } from './locale';
import { renderDocument } from './page-document';
import { text, translate } from './translate';

export interface LogoutConfirmPageModel {
  locale: Locale;
  /** The client that asked for the logout, when the id_token_hint identified it. */
  clientName?: string;
  action: string;
  hiddenFields: Record<string, string>;
  csrfToken: string;
}

/**
 * OpenID Connect RP-Initiated Logout 1.0 §2: the OP should ask the End-User whether to log out,
 * since a logout request can come from any site. Posts `decision=logout` or `decision=cancel`.
 */
export function renderLogoutConfirmPage(model: LogoutConfirmPageModel): string {
  const { locale, clientName } = model;
  const intro = clientName
    ? translate(locale, 'logoutIntroClient', { clientName: html`<strong>${clientName}</strong>` })
    : translate(locale, 'logoutIntro');
  const body = html`<p class="lead">${intro}</p>
    <form method="post" action="${formAction(model.action)}">
      ${hiddenInputs(model.csrfToken, model.hiddenFields)}
      <div class="actions">
        <button type="submit" name="decision" value="logout" class="primary">
          ${translate(locale, 'logoutConfirm')}
        </button>
        <button type="submit" name="decision" value="cancel" class="secondary">
          ${translate(locale, 'logoutCancel')}
        </button>
      </div>
    </form>`;
  return renderDocument({ locale, title: text(locale, 'logoutTitle'), body });
}
