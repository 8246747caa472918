/**
 * shell.openExternal hands a URL to the operating system, which would happily run `file:`, `smb:` or
 * custom-scheme handlers; only plain web links may leave the app.
 * (Electron security checklist: "Do not use shell.openExternal with untrusted content".)
 */
export function isSafeExternalUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
  // Credentials in a link are a phishing device (`https://bank.example@evil.example/`).
  if (parsed.username !== '' || parsed.password !== '') return false;
  return parsed.hostname !== '';
}
