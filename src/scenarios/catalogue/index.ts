import type { ScenarioDefinition } from '../types';
import { authorizationCodeScenarios } from './authorization-code';
import { clientAuthenticationScenarios } from './client-authentication';
import { dpopResourceScenarios } from './dpop-resource';
import { discoveryScenarios } from './discovery';
import { dpopTokenEndpointScenarios } from './dpop-token-endpoint';
import { hostileInputScenarios } from './hostile-input';
import { logoutScenarios } from './logout';
import { parScenarios } from './par';
import { pkceScenarios } from './pkce';
import { refreshAndRevocationScenarios } from './refresh-and-revocation';

/** The built-in edge-case library, in catalogue order. */
export const builtInScenarios: readonly ScenarioDefinition[] = [
  ...discoveryScenarios,
  ...pkceScenarios,
  ...parScenarios,
  ...clientAuthenticationScenarios,
  ...dpopTokenEndpointScenarios,
  ...dpopResourceScenarios,
  ...authorizationCodeScenarios,
  ...refreshAndRevocationScenarios,
  ...logoutScenarios,
  ...hostileInputScenarios,
];
