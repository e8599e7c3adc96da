import path from 'node:path';
import { z } from 'zod';

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));

const schema = z.object({
  /** `development` adds stack traces to errors and field suggestions; anything else hides them. */
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  /** Serve the Apollo Sandbox landing page on GET /graphql. */
  SANDBOX: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  HOST: z.string().default('localhost'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  /** A real PostgreSQL server; when unset the app runs an embedded one under DATA_DIR. */
  DATABASE_URL: optionalString,
  DATA_DIR: z.string().default('.data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Base URL used in links sent by e-mail (password reset). */
  PUBLIC_URL: optionalString,
  SESSION_TTL_HOURS: z.coerce.number().positive().default(24 * 7),
  PASSWORD_RESET_TTL_MINUTES: z.coerce.number().positive().default(60),
  /** smtp(s)://user:pass@host:port — when unset, e-mails are written as .eml files to MAIL_DIR. */
  SMTP_URL: optionalString,
  MAIL_FROM: z.string().default('Marketplace <no-reply@marketplace.local>'),
  MAIL_DIR: optionalString,
  OUTBOX_POLL_MS: z.coerce.number().int().positive().default(1000),
  SEED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  ADMIN_EMAIL: optionalString,
  ADMIN_PASSWORD: optionalString,
});

export type Config = z.infer<typeof schema> & { mailDir: string; publicUrl: string };

/** Reads and validates the environment once; a bad variable stops start-up with its name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${problems}`);
  }
  const c = parsed.data;
  return {
    ...c,
    mailDir: path.resolve(c.MAIL_DIR ?? path.join(c.DATA_DIR, 'mail')),
    publicUrl: c.PUBLIC_URL ?? `http://${c.HOST}:${c.PORT}`,
  };
}
