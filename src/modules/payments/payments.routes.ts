import type { HttpRoute } from '../../app/routes.js';

/** Provider webhooks (filled in by the payment-transaction work). */
export const paymentRoutes: HttpRoute[] = [];
