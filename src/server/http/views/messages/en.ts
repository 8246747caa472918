/**
 * English strings of the provider's pages. This catalog defines the keys; `fr.ts` must have exactly
 * the same ones (its type says so). `{name}` marks a value filled in, and escaped, at render time.
 */
export const en = {
  productName: 'TRusTY Lab',
  productTagline: 'Identity lab',
  footerNote: 'A local OpenID Connect provider for learning and testing. Use lab accounts only.',

  loginTitle: 'Sign in',
  loginIntro: 'to continue to {clientName}',
  loginUsernameLabel: 'Username',
  loginPasswordLabel: 'Password',
  loginSubmit: 'Sign in',
  loginInvalidCredentials: 'The username or password is incorrect.',
  loginThrottled: 'Too many sign-in attempts. Please wait a moment, then try again.',
  loginThrottledRetryOne: 'Too many sign-in attempts. Try again in {seconds} second.',
  loginThrottledRetryOther: 'Too many sign-in attempts. Try again in {seconds} seconds.',

  consentTitle: 'Allow access?',
  consentIntro: '{clientName} is asking for permission to:',
  consentClientId: 'Client ID: {clientId}',
  consentSignedInAs: 'Signed in as {userName}.',
  consentAllow: 'Allow',
  consentDeny: 'Deny',
  consentFootnote: 'You will be returned to the application whichever you choose.',
  scopeOpenid: 'Confirm who you are by signing you in',
  scopeProfile: 'See your basic profile: name, nickname, picture, locale and similar details',
  scopeEmail: 'See your email address and whether it is verified',
  scopeAddress: 'See your postal address',
  scopePhone: 'See your phone number and whether it is verified',
  scopeOfflineAccess: 'Keep access while you are away, until you revoke it',
  scopeOther: 'Use the permission “{scope}”',

  errorTitle: 'This request could not be completed',
  errorNotRedirected: 'You have not been sent back to the application, because it was not safe to do so.',
  errorCode: 'Error',
  errorDescription: 'Details',
  errorAdvice: 'You can close this window. If the problem continues, tell the application’s developer.',

  logoutTitle: 'Sign out of TRusTY Lab?',
  logoutIntro: 'You are about to sign out of TRusTY Lab.',
  logoutIntroClient: '{clientName} asked to sign you out of TRusTY Lab.',
  logoutConfirm: 'Sign out',
  logoutCancel: 'Stay signed in',

  loggedOutTitle: 'You are signed out',
  loggedOutBody: 'You have been signed out of TRusTY Lab. You can close this window.',

  stillSignedInTitle: 'You are still signed in',
  stillSignedInBody: 'You chose not to sign out of TRusTY Lab. You can close this window.',
} satisfies Record<string, string>;

/** Every page string, keyed; each locale's catalog has this type, so no key can be missing or extra. */
export type Messages = Readonly<Record<keyof typeof en, string>>;

export type MessageKey = keyof Messages;
