import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWork, withCheckObserver, type CheckResult } from '../../../src/server/domain/check';
import type { ProviderContext } from '../../../src/server/application/provider-context';
import { invalidClient, serverError } from '../../../src/server/domain/oauth-error';
import { sendErrorPage } from '../../../src/server/http/html-response';
import { oauthErrorHandler } from '../../../src/server/http/oauth-error-response';

const spec = { id: 'test.work', description: 'a check whose work may throw', ref: 'none' };

describe('a fault met inside a check', () => {
  it('is recorded as the check failing and thrown as server_error, with the fault as its cause', () => {
    const fault = new TypeError('Cannot convert object to primitive value');
    const results: CheckResult[] = [];
    let thrown: unknown;
    try {
      withCheckObserver({ record: (r) => results.push(r) }, () =>
        verifyWork(spec, () => {
          throw fault;
        }),
      );
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toMatchObject({ error: 'server_error', status: 500, cause: fault });
    expect(results).toMatchObject([
      { id: 'test.work', outcome: 'failed', detail: 'internal error while checking' },
    ]);
  });
});

describe('oauthErrorHandler and the error page', () => {
  const logged: { msg: string; fields: Record<string, unknown> }[] = [];
  let origin = '';
  let close = (): void => undefined;

  beforeAll(async () => {
    const logger = {
      info() {},
      warn() {},
      error: (msg: string, fields?: Record<string, unknown>) => logged.push({ msg, fields: fields ?? {} }),
    };
    const ctx = { logger, settings: { ui_locales: 'en' } } as unknown as ProviderContext;
    const app = express();
    app.get('/page-fault', (req, res) =>
      sendErrorPage(ctx, req, res, serverError(undefined, new RangeError('page boom'))),
    );
    app.get('/fault-in-check', () =>
      verifyWork(spec, () => {
        throw new TypeError('boom');
      }),
    );
    app.get('/refusal', () =>
      verifyWork(spec, () => {
        throw invalidClient('no');
      }),
    );
    app.get('/thrown-object', () => {
      throw { toString: 'not a function' }; // what a fault may throw
    });
    app.use(oauthErrorHandler(logger));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => close());

  it('logs the fault behind a server_error a check made, and answers a bare server_error', async () => {
    logged.length = 0;
    const response = await fetch(`${origin}/fault-in-check?secret=1`);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({
      error: 'server_error',
      error_description: 'the server met an unexpected condition',
    });
    expect(logged).toEqual([
      {
        msg: 'unexpected error',
        fields: { method: 'GET', path: '/fault-in-check', error: 'TypeError: boom' },
      },
    ]);
  });

  it('logs the fault behind a server_error shown as an error page (the front channel)', async () => {
    logged.length = 0;
    const response = await fetch(`${origin}/page-fault`);
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(logged).toEqual([
      {
        msg: 'unexpected error',
        fields: { method: 'GET', path: '/page-fault', error: 'RangeError: page boom' },
      },
    ]);
  });

  it('logs nothing for a refusal', async () => {
    logged.length = 0;
    expect((await fetch(`${origin}/refusal`)).status).toBe(401);
    expect(logged).toEqual([]);
  });

  it('logs a thrown value that does not convert to a string, and still answers', async () => {
    logged.length = 0;
    expect((await fetch(`${origin}/thrown-object`)).status).toBe(500);
    expect(logged).toEqual([
      { msg: 'unexpected error', fields: { method: 'GET', path: '/thrown-object', error: 'object' } },
    ]);
  });
});
