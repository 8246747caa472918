import { config } from 'zod';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './components/App';
import { bootstrap } from './bootstrap';
import { deliverCallback } from './flow/callback-channel';
import './styles/app.css';
import './styles/scenarios.css';

// The UI runs under `script-src 'self'` (no eval): zod must not compile validators with new Function.
config({ jitless: true });

const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks #root');

if (window.location.pathname === '/callback') {
  // The demo client's redirect_uri: hand the URL to the lab window and close.
  root.innerHTML =
    '<main class="callback"><p>Signed in. Returning to TRusTY Lab… you can close this window.</p></main>';
  deliverCallback();
} else {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
  void bootstrap();
}
