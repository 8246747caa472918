import { withProblem } from '../observe';
import { scenario } from './define';

export const logoutScenarios = [
  scenario({
    id: 'logout-unregistered-post-logout-redirect-uri',
    title: 'Logout with an unregistered post_logout_redirect_uri',
    category: 'logout',
    description: 'The standard client asks to be sent back to a URI it never registered.',
    expected: { status: 400, error: 'invalid_request' },
    clause: 'OpenID Connect RP-Initiated Logout 1.0 §3 (registered URIs only); RFC 6749 §4.1.2.1',
    teaching:
      'An open redirect on logout lets an attacker send users from a trusted page to a phishing site.',
    run: async (ctx) => {
      const client = ctx.client('standard');
      const { observation, response } = await ctx.send({
        stage: 'other',
        label: 'end session',
        method: 'GET',
        url: await ctx.endpoint('end_session_endpoint'),
        params: [
          ['client_id', client.client_id],
          ['post_logout_redirect_uri', 'https://attacker.example/phish'],
          ['state', 'xyz'],
        ],
        headers: { Accept: 'text/html' },
      });
      const location = response.headers.get('location');
      return withProblem(
        observation,
        location && location.startsWith('https://attacker.example')
          ? 'the provider redirected to the unregistered URI'
          : undefined,
      );
    },
  }),
];
