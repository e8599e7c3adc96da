import { createHash } from 'node:crypto';
import type pg from 'pg';

/** What every floor shares: its request and answer, the statement counter, the API's wire formats. */

export interface FloorRequest {
  operationName?: string;
  variables: Record<string, unknown>;
  authorization?: string;
}

export interface FloorAnswer {
  status?: number;
  body: string;
}

export interface FloorDeps {
  pool: pg.Pool;
  /** Called once per statement sent (BEGIN/COMMIT included). */
  count(): void;
}

export type FloorHandler = (deps: FloorDeps) => (req: FloorRequest) => Promise<FloorAnswer>;

/** A named (prepared) statement: parsed and planned once per connection, then only executed. */
export function query<R extends pg.QueryResultRow>(deps: FloorDeps, name: string, text: string, values: unknown[], client?: pg.PoolClient) {
  deps.count();
  return (client ?? deps.pool).query<R>({ name, text, values });
}

/** Runs `work` in one transaction on one connection; BEGIN and COMMIT count as statements. */
export async function transaction<T>(deps: FloorDeps, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await deps.pool.connect();
  try {
    deps.count();
    await client.query('begin');
    const out = await work(client);
    deps.count();
    await client.query('commit');
    return out;
  } catch (err) {
    deps.count();
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/** Apollo's body: the result serialised by JSON.stringify, then a newline. */
export const data = (value: unknown): FloorAnswer => ({ body: `${JSON.stringify({ data: value })}\n` });

export const notImplemented = (what: string): FloorAnswer => ({
  status: 501,
  body: `${JSON.stringify({ errors: [{ message: `This floor only answers ${what}.` }] })}\n`,
});

/** The bearer token of an Authorization header, parsed as the API's server does. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  return /^Bearer\s+(\S+)$/i.exec(header)?.[1];
}

/** Tokens are stored as their SHA-256 (auth's rule); only the hash is compared. */
export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * The viewer of a session token, as a SQL fragment every signed-in floor puts in its one
 * statement: auth's rule is a session with this hash, not revoked, not expired, of an active
 * user; the user's seller decides the kind (none: customer; the admin seller: operator staff;
 * another: that seller's user). Integration tokens (`mki_`) are not a floor's business: the
 * bench never sends one, and the floors answer 501 for them rather than guess.
 */
export const VIEWER_CTE = `viewer as (
    select u.id as user_id, u.role, u.seller_id, vs.is_admin, vs.status as seller_status
    from user_session ses
    join app_user u on u.id = ses.user_id
    left join seller vs on vs.id = u.seller_id
    where ses.token_hash = $1 and ses.revoked_at is null and ses.expires_at > now() and u.active
  )`;

/** What the API answers (HTTP 401) for an unknown, revoked or expired session. */
export const SESSION_INVALID: FloorAnswer = {
  status: 401,
  body: `${JSON.stringify({ errors: [{ message: 'The session is not valid or has expired; sign in again.', extensions: { code: 'UNAUTHENTICATED' } }] })}\n`,
};

/** MikroORM's keyset cursor: the order-by values, JSON, base64url. */
export const keysetCursor = (values: unknown[]) => Buffer.from(JSON.stringify(values)).toString('base64url');

/** The API's cursor for lists paged in memory (connectionFromArray): the position. */
export const positionCursor = (i: number) => Buffer.from(`pos:${i}`).toString('base64url');

/** Decodes a keyset cursor as MikroORM does (ISO strings back to dates); null when malformed. */
export function decodeCursor(after: unknown, keys: number): unknown[] | null {
  if (typeof after !== 'string') return null;
  try {
    const values = JSON.parse(Buffer.from(after, 'base64url').toString('utf8')) as unknown;
    return Array.isArray(values) && values.length === keys ? values : null;
  } catch {
    return null;
  }
}

export const money = (amount: number, currency: string) => ({ amount, currency });
