/**
 * Ids are UUIDs. Checking the shape before a query turns a malformed id into NOT_FOUND or
 * BAD_USER_INPUT instead of a PostgreSQL cast error.
 */
export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
