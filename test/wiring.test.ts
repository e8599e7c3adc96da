import { describe, expect, it } from 'vitest';
import { startTestApp } from './helpers/app.js';

// Settings are parsed once, when the app is assembled (src/app/wiring.ts), before the database
// is opened: a bad value stops start-up naming the variable, instead of failing a request later.
describe('configuration is validated at start-up', () => {
  it('a live carrier without its token stops start-up naming FREIGHT_CARRIER_TOKEN', async () => {
    await expect(startTestApp({ FREIGHT_CARRIER_URL: 'https://carrier.example/api' })).rejects.toThrow(/FREIGHT_CARRIER_TOKEN/);
  });

  it('a card provider without credentials stops start-up naming the missing variable', async () => {
    await expect(startTestApp({ PAYMENT_CARD_PROVIDER: 'cielo' })).rejects.toThrow(/CIELO_MERCHANT_ID/);
  });

  it('a bad payment timing stops start-up naming it', async () => {
    await expect(startTestApp({ PAYMENT_EXPIRY_MINUTES: 'soon' })).rejects.toThrow(/PAYMENT_EXPIRY_MINUTES/);
  });
});
