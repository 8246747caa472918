import { describe, expect, it } from 'vitest';
import { ClientProtocolError, HttpClient } from '../../../src/client';
import { tokenSetOf } from '../../../src/scenarios/flows';

const answer = (body: string) =>
  new HttpClient({ fetch: async () => new Response(body) }).send({
    label: 'token',
    url: 'https://op.example/token',
  });

describe('tokenSetOf (the tokens later steps of a scenario use, RFC 6749 §5.1)', () => {
  it('gives the tokens of a token response', async () => {
    const tokens = tokenSetOf(await answer('{"access_token":"at","token_type":"DPoP","refresh_token":"rt"}'));
    expect(tokens).toMatchObject({ access_token: 'at', refresh_token: 'rt' });
  });

  it('says which step had no usable tokens, instead of failing later on a member of nothing', async () => {
    await expect(answer('null').then(tokenSetOf)).rejects.toThrow(
      'token: expected a JSON object from https://op.example/token (status 200)',
    );
    for (const body of [
      '{}',
      '{"access_token":1,"token_type":"DPoP"}',
      '{"access_token":null,"token_type":"DPoP"}',
      '{"access_token":"at"}',
      '{"access_token":"at","token_type":1}',
    ]) {
      const response = await answer(body);
      expect(() => tokenSetOf(response), body).toThrow(ClientProtocolError);
      expect(() => tokenSetOf(response), body).toThrow(
        'token: the token response lacks access_token or token_type (RFC 6749 §5.1)',
      );
    }
  });
});
