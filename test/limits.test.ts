import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getIntrospectionQuery } from 'graphql';
import { startTestApp, codes, type GraphQLResponse, type TestApp } from './helpers/app.js';
import { Factory } from './helpers/factories.js';
import { LIMITS, MAX_BODY_BYTES } from '../src/app/server.js';

/**
 * The request limits of src/app/server.ts, tried over HTTP: query depth, aliases, tokens,
 * body size, batching, and what error responses give away outside development.
 */

/** `{ a { b { … leaf } } }` from a list of field selections, outermost first. */
const nest = (levels: string[], leaf: string) => levels.reduceRight((inner, field) => `${field} { ${inner} }`, leaf);

const messages = (res: GraphQLResponse<unknown>) => (res.errors ?? []).map((e) => e.message);

/** Every error of a response carries no stack trace and no "Did you mean" hint. */
function expectNothingLeaked(res: GraphQLResponse<unknown>) {
  for (const error of res.errors ?? []) {
    expect(error.extensions ?? {}).not.toHaveProperty('stacktrace');
    expect(error.extensions ?? {}).not.toHaveProperty('exception');
    expect(error.message).not.toMatch(/did you mean/i);
  }
}

let t: TestApp;

beforeAll(async () => {
  // Introspection is on where the explorer is (development); here it is asked for, so the
  // explorer's own introspection query can be tried against the limits.
  t = await startTestApp({ INTROSPECTION: 'true' });
});
afterAll(async () => t?.stop());

describe('query depth', () => {
  it(`refuses a query nested deeper than ${LIMITS.maxDepth} levels`, async () => {
    // The schema is not deep enough to nest 13 real fields (Seller → users → User ends it),
    // so the selection goes on with unknown fields; the depth rule counts selections anyway.
    const query = `{ ${nest(['viewer', 'seller', 'users', 'edges', 'node', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], 'i')} }`;
    const res = await t.raw({ query });
    expect(res.status).toBe(400);
    expect(res.data).toBeUndefined();
    expect(messages(res)).toContain(`Query depth limit of ${LIMITS.maxDepth} exceeded, found 14.`);
    expect(codes(res).every((c) => c === 'GRAPHQL_VALIDATION_FAILED')).toBe(true);
  });

  it('accepts the deepest real selection the schema has', async () => {
    const query = `{ ${nest(['integrations', 'edges', 'node', 'seller', 'users(first: 1)', 'edges', 'node'], 'email')} }`;
    const res = await t.raw({ query });
    // Validation passes; the anonymous caller is then refused by the permissions.
    expect(res.status).toBe(200);
    expect(codes(res)).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses deep introspection but serves the explorer\'s introspection query', async () => {
    const types = Array.from({ length: 10 }, (_, i) => (i % 2 ? 'fields' : 'type'));
    const deep = await t.raw({ query: `{ ${nest(['__type(name: "Query")', 'fields', ...types], 'name')} }` });
    expect(deep.status).toBe(400);
    expect(messages(deep)).toContain('Maximum introspection depth exceeded');

    const full = await t.raw({ query: getIntrospectionQuery() });
    expect(full.status).toBe(200);
    expect(full.errors).toBeUndefined();
  });
});

describe('introspection is held to the limits too (issue 12, item 6)', () => {
  it('refuses a depth-22 __schema query', async () => {
    const levels = ['__schema', 'types', 'fields', 'type', ...Array.from({ length: 18 }, () => 'ofType')];
    const res = await t.raw({ query: `{ ${nest(levels, 'name')} }` });
    expect(res.status).toBe(400);
    expect(codes(res)).toContain('GRAPHQL_VALIDATION_FAILED');
    expect(messages(res).join(' ')).toMatch(/depth/i);
  });

  it('refuses 1,000 __typename aliases', async () => {
    const aliases = Array.from({ length: 1000 }, (_, i) => `t${i}: __typename`).join(' ');
    const res = await t.raw({ query: `{ ${aliases} }` });
    expect(res.status).toBe(400);
    expect(messages(res)).toContain(`Aliases limit of ${LIMITS.maxAliases} exceeded, found 1000.`);
  });
});

describe('aliases', () => {
  it(`refuses more than ${LIMITS.maxAliases} aliases`, async () => {
    const aliases = Array.from({ length: 50 }, (_, i) => `a${i}: viewer { kind }`).join(' ');
    const res = await t.raw({ query: `{ ${aliases} }` });
    expect(res.status).toBe(400);
    expect(res.errors).toEqual([
      { message: `Aliases limit of ${LIMITS.maxAliases} exceeded, found 50.`, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
    ]);
  });

  it(`accepts ${LIMITS.maxAliases} aliases`, async () => {
    const aliases = Array.from({ length: LIMITS.maxAliases }, (_, i) => `a${i}: viewer { kind }`).join(' ');
    const res = await t.raw({ query: `{ ${aliases} }` });
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    expect((res.data as Record<string, { kind: string }>).a0).toEqual({ kind: 'ANONYMOUS' });
  });
});

describe('tokens', () => {
  it(`refuses a document of more than ${LIMITS.maxTokens} tokens before validating it`, async () => {
    const res = await t.raw({ query: `{ viewer { ${'kind '.repeat(LIMITS.maxTokens)} } }` });
    expect(res.status).toBe(400);
    expect(codes(res)).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(messages(res)[0]).toMatch(new RegExp(`more th.. ${LIMITS.maxTokens} tokens`));
  });
});

describe('request body', () => {
  const oversized = () => JSON.stringify({ query: '{ viewer { kind } }', variables: { pad: 'x'.repeat(MAX_BODY_BYTES) } });
  const expected = { errors: [{ message: 'The request body is over the 4 MB limit.', extensions: { code: 'PAYLOAD_TOO_LARGE' } }] };

  it('answers 413 with a JSON error when the declared length is over 4 MB', async () => {
    const res = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: oversized() });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual(expected);
  });

  it('answers 413 when a chunked body grows past 4 MB', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(1024 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 6) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await fetch(t.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit & { duplex: 'half' });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual(expected);
  });

  it('still serves requests after refusing a large body', async () => {
    const res = await t.raw({ query: '{ viewer { kind } }' });
    expect(res.data).toEqual({ viewer: { kind: 'ANONYMOUS' } });
  });

  it('refuses a body that is not JSON', async () => {
    const res = await t.raw('{"query": ');
    expect(res.status).toBe(400);
    expect(res.errors).toEqual([{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }]);
  });
});

describe('batching', () => {
  it('refuses a JSON array of operations', async () => {
    const res = await t.raw([{ query: '{ viewer { kind } }' }, { query: '{ viewer { kind } }' }]);
    expect(res.status).toBe(400);
    expect(codes(res)).toEqual(['BAD_REQUEST']);
    expect(messages(res)[0]).toMatch(/batching disabled/i);
  });
});

describe.each(['test', 'production'])('error responses with NODE_ENV=%s', (nodeEnv) => {
  let app: TestApp;
  let f: Factory;
  beforeAll(async () => {
    app = nodeEnv === 'test' ? t : await startTestApp({ NODE_ENV: nodeEnv });
    f = new Factory(app);
  });
  afterAll(async () => {
    if (app !== t) await app?.stop();
  });

  it('hide the details of an internal error', async () => {
    // A seller's user without a role is inconsistent data the server does not expect.
    const { token } = await f.user({ seller: await f.seller(), role: null });
    const res = await app.raw({ query: '{ viewer { kind } }' }, token);
    expect(res.status).toBe(500);
    expect(res.errors).toEqual([{ message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
  });

  it('call a malformed cursor bad input, not an internal error', async () => {
    const res = await app.raw({ query: '{ sellers(after: "garbage") { totalCount } }' });
    expect(res.status).toBe(200);
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0]!.extensions!.field).toEqual(['after']);
    expectNothingLeaked(res);
  });

  it('do not suggest field, argument or enum names', async () => {
    const cases = [
      { query: '{ viewr { kind } }', message: 'Cannot query field "viewr" on type "Query".' },
      { query: '{ viewer { kindd } }', message: 'Cannot query field "kindd" on type "Viewer".' },
      { query: '{ sellers(firs: 2) { totalCount } }', message: 'Unknown argument "firs" on field "Query.sellers".' },
      { query: '{ sellers(filter: { status: ACTIV }) { totalCount } }', message: 'Value "ACTIV" does not exist in "SellerStatus" enum.' },
    ];
    for (const c of cases) {
      const res = await app.raw({ query: c.query });
      expect(res.status).toBe(400);
      expect(messages(res)).toEqual([c.message]);
      expectNothingLeaked(res);
    }
    const variable = await app.raw({
      query: 'query ($s: SellerStatus) { sellers(filter: { status: $s }) { totalCount } }',
      variables: { s: 'ACTIV' },
    });
    expect(codes(variable)).toEqual(['BAD_USER_INPUT']);
    expectNothingLeaked(variable);
  });

  it('carry no stack trace for refused limits, tokens and permissions', async () => {
    const responses = await Promise.all([
      app.raw({ query: `{ ${Array.from({ length: 20 }, (_, i) => `a${i}: viewer { kind }`).join(' ')} }` }),
      app.raw({ query: '{ viewer { kind } }' }, 'mks_not-a-session'),
      app.raw({ query: '{ integrations { totalCount } }' }),
      app.raw({ query: '{ sellers(first: 1000) { totalCount } }' }),
      app.raw({ query: '{ viewer { ' }),
    ]);
    expect(responses.map(codes)).toEqual([
      ['GRAPHQL_VALIDATION_FAILED'],
      ['UNAUTHENTICATED'],
      ['UNAUTHENTICATED'],
      ['BAD_USER_INPUT'],
      ['GRAPHQL_PARSE_FAILED'],
    ]);
    responses.forEach(expectNothingLeaked);
  });
});

describe('NODE_ENV=development', () => {
  let dev: TestApp;
  beforeAll(async () => {
    dev = await startTestApp({ NODE_ENV: 'development' });
  });
  afterAll(async () => dev?.stop());

  it('keeps suggestions and stack traces for the developer', async () => {
    const res = await dev.raw({ query: '{ viewr { kind } }' });
    expect(messages(res)).toEqual(['Cannot query field "viewr" on type "Query". Did you mean "viewer"?']);

    const f = new Factory(dev);
    const { token } = await f.user({ seller: await f.seller(), role: null });
    const broken = await dev.raw({ query: '{ viewer { kind } }' }, token);
    expect(broken.status).toBe(500);
    expect(broken.errors![0]!.extensions).toHaveProperty('stacktrace');
  });
});

describe('introspection outside development', () => {
  let prod: TestApp;
  beforeAll(async () => {
    prod = await startTestApp({ NODE_ENV: 'production' });
  });
  afterAll(async () => prod?.stop());

  it('is refused as a validation error unless INTROSPECTION or EXPLORER turns it on', async () => {
    const res = await prod.raw({ query: '{ __schema { queryType { name } } }' });
    expect(res.status).toBe(400);
    expect(codes(res)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expectNothingLeaked(res);
    // Without the explorer a browser asking for /graphql gets no page.
    const page = await fetch(prod.url, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toContain('graphiql');
  });
});
