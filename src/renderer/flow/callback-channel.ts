/**
 * How the login popup hands the redirect back to the lab window. The redirect lands on
 * `<lab origin>/callback`, which posts its URL to the opener (target origin: the lab's own) and on a
 * BroadcastChannel — the provider may sever `window.opener` with a Cross-Origin-Opener-Policy.
 */
export const CALLBACK_MESSAGE_TYPE = 'trusty-lab:callback';
export const CALLBACK_CHANNEL = 'trusty-lab-callback';

export interface CallbackMessage {
  type: typeof CALLBACK_MESSAGE_TYPE;
  url: string;
}

export function isCallbackMessage(value: unknown): value is CallbackMessage {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return v.type === CALLBACK_MESSAGE_TYPE && typeof v.url === 'string';
}

/** Run by the /callback page: deliver the URL, then close. */
export function deliverCallback(win: Window = window): void {
  const message: CallbackMessage = { type: CALLBACK_MESSAGE_TYPE, url: win.location.href };
  try {
    win.opener?.postMessage(message, win.location.origin);
  } catch {
    // no opener: the channel below carries it
  }
  if (typeof BroadcastChannel !== 'undefined') {
    const channel = new BroadcastChannel(CALLBACK_CHANNEL);
    channel.postMessage(message);
    channel.close();
  }
  setTimeout(() => win.close(), 150);
}

/** Waits for the next callback URL from a popup of this origin. */
export function waitForCallback(signal: AbortSignal, win: Window = window): Promise<string> {
  return new Promise((resolve, reject) => {
    const channel = typeof BroadcastChannel !== 'undefined' ? new BroadcastChannel(CALLBACK_CHANNEL) : null;
    const done = () => {
      win.removeEventListener('message', onMessage);
      channel?.close();
      signal.removeEventListener('abort', onAbort);
    };
    const accept = (data: unknown) => {
      if (!isCallbackMessage(data)) return;
      done();
      resolve(data.url);
    };
    const onMessage = (event: MessageEvent) => {
      // Only our own origin may deliver a callback (the /callback page).
      if (event.origin !== win.location.origin) return;
      accept(event.data);
    };
    const onAbort = () => {
      done();
      reject(new Error('cancelled'));
    };
    win.addEventListener('message', onMessage);
    if (channel) channel.onmessage = (event: MessageEvent) => accept(event.data);
    signal.addEventListener('abort', onAbort);
  });
}
