import 'reflect-metadata';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CarrierError, HttpFreightCarrier } from './carrier.js';
import { quoteCart } from './freight.service.js';
import type { ContingencyTable, QuoteRequest } from './shipping.types.js';

/** What the fake carrier does with the next request. */
type Behaviour = { kind: 'json'; status: number; body: unknown } | { kind: 'text'; status: number; body: string } | { kind: 'hang' };

let server: Server;
let baseUrl: string;
let behaviour: Behaviour;
let received: { url: string; method: string; token: string | undefined; body: unknown }[] = [];

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      received.push({ url: req.url ?? '', method: req.method ?? '', token: req.headers.token as string | undefined, body: JSON.parse(raw) });
      if (behaviour.kind === 'hang') return; // never answers; the client's timeout must end it
      res.writeHead(behaviour.status, { 'content-type': behaviour.kind === 'json' ? 'application/json' : 'text/plain' });
      res.end(behaviour.kind === 'json' ? JSON.stringify(behaviour.body) : behaviour.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  received = [];
});

const request: QuoteRequest = {
  originPostalCode: '01310100',
  destinationPostalCode: '20040020',
  weightGrams: 1500,
  merchandiseCents: 12990,
  hasGuestSellerItems: false,
};

const carrier = (timeoutMs = 2_000) =>
  new HttpFreightCarrier({ name: 'frenet', baseUrl, token: 'secret-token', timeoutMs, scheduledServiceCodes: ['AGENDADA'] });

const contingency: ContingencyTable = {
  id: 'contingency',
  carrier: 'Loja',
  method: 'Entrega padrão',
  rows: [{ postalCodeFrom: '00000000', postalCodeTo: '99999999', weightFromGrams: 0, weightToGrams: 30_000, priceCents: 3500, days: 10 }],
};

describe('HttpFreightCarrier', () => {
  it('posts the Frenet-shaped request and reads prices exactly', async () => {
    behaviour = {
      kind: 'json',
      status: 200,
      body: {
        ShippingSevicesArray: [
          { ServiceCode: '03298', ServiceDescription: 'PAC', Carrier: 'Correios', ShippingPrice: '23.61', DeliveryTime: '6', Error: false, Msg: null },
          { ServiceCode: '03220', ServiceDescription: 'SEDEX', Carrier: 'Correios', ShippingPrice: 0.29, DeliveryTime: 2, Error: false },
          { ServiceCode: 'AGENDADA', ServiceDescription: 'Entrega agendada', Carrier: 'Loggi', ShippingPrice: '19,90', DeliveryTime: 3, Error: false },
          { ServiceCode: '04014', ServiceDescription: 'Mini Envios', Carrier: 'Correios', Error: true, Msg: 'Peso excedido' },
        ],
      },
    };
    const options = await carrier().quote(request);
    expect(options).toEqual([
      { method: 'PAC', carrier: 'Correios', priceCents: 2361, days: 6, scheduled: false },
      { method: 'SEDEX', carrier: 'Correios', priceCents: 29, days: 2, scheduled: false },
      { method: 'Entrega agendada', carrier: 'Loggi', priceCents: 1990, days: 3, scheduled: true },
    ]);
    expect(received).toEqual([
      {
        url: '/v1/shipping/quote',
        method: 'POST',
        token: 'secret-token',
        body: {
          SellerCEP: '01310100',
          RecipientCEP: '20040020',
          ShipmentInvoiceValue: 129.9,
          ShippingItemArray: [{ Weight: 1.5, Height: 2, Width: 11, Length: 16, Quantity: 1 }],
          RecipientCountry: 'BR',
        },
      },
    ]);
  });

  it('turns a 500 into an HTTP_ERROR', async () => {
    behaviour = { kind: 'text', status: 500, body: 'upstream exploded' };
    await expect(carrier().quote(request)).rejects.toMatchObject({ reason: 'HTTP_ERROR', message: 'HTTP 500: upstream exploded' });
  });

  it('turns a body that is not the agreed shape into INVALID_RESPONSE', async () => {
    behaviour = { kind: 'text', status: 200, body: '<html>maintenance</html>' };
    await expect(carrier().quote(request)).rejects.toMatchObject({ reason: 'INVALID_RESPONSE' });
    behaviour = { kind: 'json', status: 200, body: { ShippingSevicesArray: [{ ServiceDescription: 'PAC', ShippingPrice: 23.615, DeliveryTime: 6 }] } };
    await expect(carrier().quote(request)).rejects.toMatchObject({ reason: 'INVALID_RESPONSE' });
  });

  it('reports NO_SERVICE with the carrier messages when every service is refused', async () => {
    behaviour = { kind: 'json', status: 200, body: { ShippingSevicesArray: [{ ServiceDescription: 'PAC', Error: true, Msg: 'CEP de destino inválido' }] } };
    await expect(carrier().quote(request)).rejects.toMatchObject({ reason: 'NO_SERVICE', message: 'PAC: CEP de destino inválido' });
  });

  it('gives up on a carrier that does not answer in time', async () => {
    behaviour = { kind: 'hang' };
    const err = await carrier(50)
      .quote(request)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CarrierError);
    expect(err).toMatchObject({ reason: 'TIMEOUT' });
  });

  it('reports a carrier that cannot be reached as NETWORK_ERROR', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const unreachable = new HttpFreightCarrier({ name: 'gone', baseUrl: `http://127.0.0.1:${port}`, token: 't' });
    await expect(unreachable.quote(request)).rejects.toMatchObject({ reason: 'NETWORK_ERROR' });
  });
});

describe('quoteCart with the HTTP carrier', () => {
  it('uses the carrier options when it answers', async () => {
    behaviour = {
      kind: 'json',
      status: 200,
      body: { ShippingSevicesArray: [{ ServiceCode: '03298', ServiceDescription: 'PAC', Carrier: 'Correios', ShippingPrice: '23.61', DeliveryTime: 6 }] },
    };
    const quote = await quoteCart({ ...request, destinationPostalCode: '20040-020' }, { tables: [], carriers: [carrier()], contingency, rules: [] });
    expect(quote).toEqual({
      options: [{ method: 'PAC', carrier: 'Correios', priceCents: 2361, days: 6, scheduled: false, source: 'CARRIER' }],
      failures: [],
      excluded: [],
    });
  });

  it('falls back to the contingency table on a 500 and says why', async () => {
    behaviour = { kind: 'text', status: 500, body: '' };
    const quote = await quoteCart(request, { tables: [], carriers: [carrier()], contingency, rules: [] });
    expect(quote.options).toEqual([{ method: 'Entrega padrão', carrier: 'Loja', priceCents: 3500, days: 10, scheduled: false, source: 'CONTINGENCY' }]);
    expect(quote.failures).toEqual([{ source: 'CARRIER', carrier: 'frenet', reason: 'HTTP_ERROR', detail: 'HTTP 500' }]);
  });

  it('falls back to the contingency table when the carrier times out, and reports the timeout', async () => {
    behaviour = { kind: 'hang' };
    const quote = await quoteCart(request, { tables: [], carriers: [carrier(50)], contingency, rules: [] });
    expect(quote.options.map((o) => o.source)).toEqual(['CONTINGENCY']);
    expect(quote.failures).toEqual([expect.objectContaining({ source: 'CARRIER', carrier: 'frenet', reason: 'TIMEOUT' })]);
  });

  it('stops waiting at the service timeout even when the adapter allows longer', async () => {
    behaviour = { kind: 'hang' };
    const quote = await quoteCart(request, { tables: [], carriers: [carrier(60_000)], contingency, rules: [], carrierTimeoutMs: 50 });
    expect(quote.options.map((o) => o.source)).toEqual(['CONTINGENCY']);
    expect(quote.failures).toEqual([expect.objectContaining({ carrier: 'frenet', reason: 'TIMEOUT' })]);
  });
});
