export { RateLimitBucket } from './ratelimit.entity.js';
export { RateLimitedError, assertNotSpent, createLimiter, limitKey, secondsUntil, spend, type LimitSpec, type LimiterStore } from './ratelimit.js';
