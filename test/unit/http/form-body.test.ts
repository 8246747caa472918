import { request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync, deflateSync } from 'node:zlib';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MAX_FORM_BODY,
  MAX_FORM_PARAMETERS,
  parseForm,
  requireForm,
} from '../../../src/server/http/form-body';
import { skipCheck, withCheckObserver } from '../../../src/server/domain/check';
import { parseFormUrlencoded } from '../../../src/server/http/form-urlencoded';
import { oauthErrorHandler } from '../../../src/server/http/oauth-error-response';
import { getRawBody } from '../../../src/server/http/raw-body';

const parse = (text: string | Buffer) =>
  parseFormUrlencoded(typeof text === 'string' ? Buffer.from(text) : text, MAX_FORM_PARAMETERS);

describe('application/x-www-form-urlencoded parsing (WHATWG URL §5.1), strictly UTF-8', () => {
  it('decodes plus signs and percent-encoded UTF-8, and takes raw UTF-8', () => {
    expect(parse('a=1&b=two+words&c=%C3%A9t%C3%A9&d=Bâtisseur&e=%2B')).toEqual({
      ok: true,
      fields: { a: '1', b: 'two words', c: 'été', d: 'Bâtisseur', e: '+' },
    });
  });

  it('keeps every value of a repeated name, in order, and an empty value for a bare name', () => {
    expect(parse('scope=a&scope=b&scope=c&flag&x=')).toEqual({
      ok: true,
      fields: { scope: ['a', 'b', 'c'], flag: '', x: '' },
    });
  });

  it('drops empty parts and empty names, and splits at the first =', () => {
    expect(parse('&&a=b=c&=orphan&')).toEqual({ ok: true, fields: { a: 'b=c' } });
    expect(parse('')).toEqual({ ok: true, fields: {} });
  });

  it('keeps bracketed names as names, and no name reaches the prototype', () => {
    const result = parse('client_id[x]=1&__proto__=polluted&constructor=c');
    expect(result.ok && Object.keys(result.fields)).toEqual(['client_id[x]', '__proto__', 'constructor']);
    expect(result.ok && Object.getPrototypeOf(result.fields)).toBeNull();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses raw bytes that are not UTF-8', () => {
    expect(parse(Buffer.from([0x61, 0x3d, 0xff, 0xfe]))).toEqual({ ok: false, reason: 'not-utf8' });
  });

  it('refuses percent-encoded bytes that are not UTF-8, and broken percent-encoding, in names too', () => {
    for (const body of ['code=%FF%FE', 'code=%C3', 'code=%zz', '%C3=1', 'a=1&b=%']) {
      expect(parse(body), body).toEqual({ ok: false, reason: 'not-utf8' });
    }
  });

  it('refuses more parts than the limit, empty ones included', () => {
    expect(parse('a=1&'.repeat(MAX_FORM_PARAMETERS - 1) + 'a=1').ok).toBe(true);
    expect(parse('&'.repeat(MAX_FORM_PARAMETERS))).toEqual({ ok: false, reason: 'too-many-parameters' });
  });
});

describe('parseForm: form bodies in, OAuth errors for bad ones', () => {
  let origin = '';
  let close: () => void = () => {};

  beforeAll(async () => {
    const app = express();
    app.post('/form', parseForm, requireForm, (req, res) => {
      res.json({ body: req.body as unknown, raw: getRawBody(req)?.toString('utf8') ?? null });
    });
    app.post(
      '/context',
      (req, res, next) => {
        // The check observer of this request (as the lab's capture sets one), named after it.
        const checked: string[] = [];
        res.locals.checked = checked;
        const observer = { record: () => void checked.push(`request ${req.headers['x-request']}`) };
        withCheckObserver(observer, next);
      },
      parseForm,
      (_req, res) => {
        skipCheck({ id: 'test.after_body', description: 'reported after the body', ref: '-' }, 'test');
        res.json({ context: (res.locals.checked as string[]).join() || null });
      },
    );
    app.post('/optional', parseForm, (req, res) => {
      res.json({ hasBody: req.body !== undefined, body: (req.body as unknown) ?? null });
    });
    app.use(oauthErrorHandler({ info() {}, warn() {}, error() {} }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => close());

  const post = (
    path: string,
    body: Buffer | string | (Buffer | string)[] | undefined,
    headers: Record<string, string>,
  ): Promise<{ status: number; json: Record<string, unknown>; headers: IncomingHttpHeaders }> =>
    new Promise((resolve, reject) => {
      const req = request(`${origin}${path}`, { method: 'POST', headers }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            json: JSON.parse(text) as Record<string, unknown>,
            headers: res.headers,
          }),
        );
      });
      req.on('error', reject);
      if (Array.isArray(body)) {
        for (const chunk of body) req.write(chunk);
        req.end();
      } else req.end(body);
    });
  const form = { 'content-type': 'application/x-www-form-urlencoded' };

  it('parses a form, with or without a charset, and keeps the raw body for the lab', async () => {
    for (const contentType of [
      'application/x-www-form-urlencoded',
      'Application/X-WWW-Form-Urlencoded; charset=UTF-8',
      'application/x-www-form-urlencoded;charset="utf-8"',
    ]) {
      const response = await post('/form', 'grant_type=client_credentials&scope=a+b', {
        'content-type': contentType,
      });
      expect(response.status, contentType).toBe(200);
      expect(response.json).toEqual({
        body: { grant_type: 'client_credentials', scope: 'a b' },
        raw: 'grant_type=client_credentials&scope=a+b',
      });
    }
  });

  it("gives the request's check observer back after the body is read: the lab records the checks", async () => {
    const answers = await Promise.all(
      ['1', '2', '3'].map((n) => post('/context', ['a=', n], { ...form, 'x-request': n })),
    );
    expect(answers.map((a) => a.json.context)).toEqual(['request 1', 'request 2', 'request 3']);
  });

  it('reads a body sent in chunks (Transfer-Encoding: chunked)', async () => {
    const response = await post('/form', ['grant_type=client', '_credentials&scope=x'], form);
    expect(response.json.body).toEqual({ grant_type: 'client_credentials', scope: 'x' });
  });

  it('leaves requests without content, or with another media type, without a body', async () => {
    expect((await post('/optional', undefined, {})).json).toEqual({ hasBody: false, body: null });
    expect((await post('/optional', '{"a":1}', { 'content-type': 'application/json' })).json).toEqual({
      hasBody: false,
      body: null,
    });
    expect((await post('/optional', '', form)).json).toEqual({ hasBody: true, body: {} });
  });

  it('requireForm: no form, no request (RFC 6749 §3.2)', async () => {
    for (const [body, headers] of [
      ['{"grant_type":"client_credentials"}', { 'content-type': 'application/json' }],
      ['grant_type=client_credentials', { 'content-type': 'text/plain' }],
      ['grant_type=client_credentials', {}],
    ] as const) {
      const response = await post('/form', body, headers);
      expect(response.status).toBe(400);
      expect(response.json.error).toBe('invalid_request');
    }
  });

  it('decodes gzip and deflate bodies (RFC 9110 §8.4.1)', async () => {
    const text = 'grant_type=client_credentials&scope=x';
    for (const [coding, encode] of [
      ['gzip', gzipSync],
      ['deflate', deflateSync],
    ] as const) {
      const response = await post('/form', encode(text), { ...form, 'content-encoding': coding });
      expect(response.status, coding).toBe(200);
      expect(response.json).toEqual({ body: { grant_type: 'client_credentials', scope: 'x' }, raw: text });
    }
  });

  it('413 for a body over the limit, declared, streamed or once decompressed', async () => {
    const big = `a=${'x'.repeat(MAX_FORM_BODY)}`;
    const declared = await post('/form', big, form);
    const streamed = await post('/form', [big.slice(0, 40_000), big.slice(40_000)], form);
    const inflated = await post('/form', gzipSync(big), { ...form, 'content-encoding': 'gzip' });
    for (const response of [declared, streamed, inflated]) {
      expect(response.status).toBe(413);
      expect(response.json.error).toBe('invalid_request');
    }
    // The connection is still usable: the next request on it is answered.
    expect((await post('/form', 'a=1', form)).status).toBe(200);
  });

  it('413 for too many parameters', async () => {
    const response = await post('/form', 'a=1&'.repeat(MAX_FORM_PARAMETERS) + 'a=1', form);
    expect(response.status).toBe(413);
    expect(response.json.error).toBe('invalid_request');
  });

  it('415 for a charset other than UTF-8 or a content coding it does not know', async () => {
    const charset = await post('/form', 'a=1', {
      'content-type': 'application/x-www-form-urlencoded; charset=koi8-r',
    });
    const coding = await post('/form', 'a=1', { ...form, 'content-encoding': 'compress' });
    for (const response of [charset, coding]) {
      expect(response.status).toBe(415);
      expect(response.json.error).toBe('invalid_request');
    }
  });

  it('400 for bytes that are not UTF-8 and for a corrupt compressed body', async () => {
    const bytes = await post('/form', Buffer.from([0x61, 0x3d, 0xc3, 0x28]), form);
    const percent = await post('/form', 'a=%C3%28', form);
    const corrupt = await post('/form', Buffer.from('not gzip at all'), {
      ...form,
      'content-encoding': 'gzip',
    });
    for (const response of [bytes, percent, corrupt]) {
      expect(response.status).toBe(400);
      expect(response.json.error).toBe('invalid_request');
    }
  });
});
