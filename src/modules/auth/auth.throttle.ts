import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from '../../config.js';
import type { Context } from '../../shared/runtime/index.js';
import { ServiceKey } from '../../shared/runtime/index.js';
import { RateLimitedError, assertNotSpent, createLimiter, limitKey, spend, type LimiterStore } from '../../shared/ratelimit/index.js';
import { normaliseEmail } from '../../shared/validation/index.js';

export type AuthAttempt = 'login' | 'signup' | 'reset' | 'verify';

const TOO_MANY = 'Too many attempts; wait a moment and try again.';

/**
 * Throttles login, sign-up, e-mail verification and password reset (issue 12, item 2), in a
 * store every instance shares:
 *  - per client address: AUTH_LIMIT_PER_CLIENT attempts of any of them per window, spent
 *    before the password is hashed (each scrypt costs 32 MiB and CPU);
 *  - per account (e-mail): AUTH_LIMIT_PER_ACCOUNT failed logins per window, then the account
 *    is refused for a window even with the right password; sign-up and reset requests spend
 *    from the same account budget on every call (each sends an e-mail).
 * A refusal is RATE_LIMITED, answered as HTTP 429 with Retry-After.
 */
export class AuthThrottle {
  private limiters?: { client: RateLimiterAbstract; account: RateLimiterAbstract };

  constructor(
    private readonly store: LimiterStore,
    private readonly config: Pick<Config, 'AUTH_LIMIT_PER_ACCOUNT' | 'AUTH_LIMIT_PER_CLIENT' | 'AUTH_LIMIT_WINDOW_SECONDS'>,
    private readonly onClose?: () => Promise<void>,
  ) {}

  /** Built on first use: the PostgreSQL store needs the database, opened after the wiring. */
  private get l() {
    const window = this.config.AUTH_LIMIT_WINDOW_SECONDS;
    return (this.limiters ??= {
      client: createLimiter(this.store, { name: 'auth-client', points: this.config.AUTH_LIMIT_PER_CLIENT, durationSeconds: window }),
      account: createLimiter(this.store, { name: 'auth-account', points: this.config.AUTH_LIMIT_PER_ACCOUNT, durationSeconds: window, blockSeconds: window }),
    });
  }

  private accountKey = (email: string) => limitKey('account', normaliseEmail(email));

  /** Before any work: the client's budget is spent, and an account already over its own is refused. */
  async attempt(ctx: Context, kind: AuthAttempt, email?: string): Promise<void> {
    await spend(this.l.client, limitKey('client', ctx.clientAddress ?? 'internal'), TOO_MANY);
    if (email === undefined) return;
    if (kind === 'signup' || kind === 'reset') await spend(this.l.account, this.accountKey(email), TOO_MANY);
    else await assertNotSpent(this.l.account, this.accountKey(email), TOO_MANY);
  }

  /** A wrong password spends from the account's budget; the last one allowed already blocks the next. */
  async failed(email: string): Promise<void> {
    try {
      await spend(this.l.account, this.accountKey(email), TOO_MANY);
    } catch (err) {
      if (!(err instanceof RateLimitedError)) throw err;
    }
  }

  /** A successful login clears the account's failures. */
  async succeeded(email: string): Promise<void> {
    await this.l.account.delete(this.accountKey(email));
  }

  async close(): Promise<void> {
    await this.onClose?.();
  }
}

/** The slot src/app fills with the throttle on the configured store. */
export const AUTH_THROTTLE = new ServiceKey<AuthThrottle>('auth.throttle');
