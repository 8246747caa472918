import type { Messages } from './en';

/** French strings of the provider's pages; same keys as `en.ts`, enforced by the `Messages` type. */
export const fr: Messages = {
  productName: 'TRusTY Lab',
  productTagline: 'Laboratoire d’identité',
  footerNote:
    'Un fournisseur OpenID Connect local pour apprendre et tester. N’utilisez que des comptes de laboratoire.',

  loginTitle: 'Connexion',
  loginIntro: 'pour continuer vers {clientName}',
  loginUsernameLabel: 'Nom d’utilisateur',
  loginPasswordLabel: 'Mot de passe',
  loginSubmit: 'Se connecter',
  loginInvalidCredentials: 'Le nom d’utilisateur ou le mot de passe est incorrect.',
  loginThrottled: 'Trop de tentatives de connexion. Patientez un instant, puis réessayez.',
  loginThrottledRetryOne: 'Trop de tentatives de connexion. Réessayez dans {seconds} seconde.',
  loginThrottledRetryOther: 'Trop de tentatives de connexion. Réessayez dans {seconds} secondes.',

  consentTitle: 'Autoriser l’accès\u00a0?',
  consentIntro: '{clientName} demande l’autorisation de\u00a0:',
  consentClientId: 'Identifiant client\u00a0: {clientId}',
  consentSignedInAs: 'Connecté en tant que {userName}.',
  consentAllow: 'Autoriser',
  consentDeny: 'Refuser',
  consentFootnote: 'Vous serez renvoyé vers l’application quel que soit votre choix.',
  scopeOpenid: 'Confirmer votre identité en vous connectant',
  scopeProfile: 'Voir votre profil de base\u00a0: nom, pseudonyme, photo, langue et informations semblables',
  scopeEmail: 'Voir votre adresse e-mail et savoir si elle est vérifiée',
  scopeAddress: 'Voir votre adresse postale',
  scopePhone: 'Voir votre numéro de téléphone et savoir s’il est vérifié',
  scopeOfflineAccess: 'Garder l’accès en votre absence, jusqu’à ce que vous le révoquiez',
  scopeOther: 'Utiliser l’autorisation «\u00a0{scope}\u00a0»',

  errorTitle: 'Cette demande n’a pas pu aboutir',
  errorNotRedirected: 'Vous n’avez pas été renvoyé vers l’application, car il n’était pas sûr de le faire.',
  errorCode: 'Erreur',
  errorDescription: 'Détails',
  errorAdvice:
    'Vous pouvez fermer cette fenêtre. Si le problème persiste, prévenez le développeur de l’application.',

  logoutTitle: 'Se déconnecter de TRusTY Lab\u00a0?',
  logoutIntro: 'Vous êtes sur le point de vous déconnecter de TRusTY Lab.',
  logoutIntroClient: '{clientName} demande à vous déconnecter de TRusTY Lab.',
  logoutConfirm: 'Se déconnecter',
  logoutCancel: 'Rester connecté',

  loggedOutTitle: 'Vous êtes déconnecté',
  loggedOutBody: 'Vous avez été déconnecté de TRusTY Lab. Vous pouvez fermer cette fenêtre.',

  stillSignedInTitle: 'Vous êtes toujours connecté',
  stillSignedInBody:
    'Vous avez choisi de ne pas vous déconnecter de TRusTY Lab. Vous pouvez fermer cette fenêtre.',
};
