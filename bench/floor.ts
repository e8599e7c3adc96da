import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { serveIpc } from './ipc.js';
import type { FloorHandler } from './floors/common.js';

/**
 * One raw floor, in a process of its own: node:http + a plain `pg` Pool (as many connections
 * as the API's ORM pool: 10), named prepared statements, JSON built by hand. It answers the
 * one GraphQL operation its scenario measures with the bytes the API gives, doing the same
 * authentication, visibility rules and writes with the least SQL a careful engineer would
 * write. It parses the request's JSON (variables, operation name) but no GraphQL: that is the
 * price of the stack the ratio measures.
 *
 *   argv: <floor name (bench/floors/<name>.ts)> <databaseUrl> <schema>
 */

const [name, databaseUrl, schema] = process.argv.slice(2);
if (!name || !databaseUrl || !schema) throw new Error('usage: floor.ts <name> <databaseUrl> <schema>');

const pool = new pg.Pool({ connectionString: databaseUrl, max: 10, options: `-c search_path="${schema}"` });
let statements = 0;
// Every statement sent, BEGIN and COMMIT included, as the API's count includes them.
const count = () => {
  statements += 1;
};

const module = (await import(`./floors/${name}.js`)) as { default: FloorHandler };
const handle = module.default({ pool, count });

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    let body: { operationName?: string; variables?: Record<string, unknown> };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end('{"errors":[{"message":"The request body is not valid JSON."}]}');
      return;
    }
    handle({ operationName: body.operationName, variables: body.variables ?? {}, authorization: req.headers.authorization }).then(
      (answer) => {
        res.writeHead(answer.status ?? 200, { 'content-type': 'application/json; charset=utf-8' });
        res.end(answer.body);
      },
      (err: unknown) => {
        console.error(`floor ${name}:`, err);
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }));
      },
    );
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

serveIpc(
  {
    stats: () => ({ statements }),
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
      setTimeout(() => process.exit(0), 10);
    },
  },
  { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql` },
);
