import { z } from 'zod';
import { parseDecimalToCents, parseWholeNumber } from './parse.js';
import type { CarrierOption, QuoteFailureReason, QuoteRequest } from './shipping.types.js';

/**
 * The freight-carrier extension point: something that prices the cart's parcel live. The
 * store's tables need no adapter (table-quote.ts); this is for carriers and aggregators
 * reached over the network. Configuration picks the implementations; HttpFreightCarrier is
 * the default one.
 */
export interface FreightCarrier {
  /** Names the carrier in a quote's failures. */
  readonly name: string;
  /**
   * The options this carrier offers. `request` carries normalised 8-digit CEPs. Throws
   * CarrierError when it cannot quote; `signal` is aborted when the caller stops waiting.
   */
  quote(request: QuoteRequest, signal?: AbortSignal): Promise<CarrierOption[]>;
}

export type CarrierFailureReason = Exclude<QuoteFailureReason, 'NO_MATCHING_ROW'>;

/** Why a carrier could not quote; the freight service records it and carries on. */
export class CarrierError extends Error {
  constructor(
    readonly reason: CarrierFailureReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CarrierError';
  }
}

export interface HttpFreightCarrierConfig {
  /** How failures name this carrier, and the `carrier` of options whose service names none. */
  name: string;
  /** E.g. "https://api.frenet.com.br"; the quote is POSTed to `<baseUrl>/shipping/quote`. */
  baseUrl: string;
  token: string;
  /** Covers connecting, the response and reading its body. Default 5 s. */
  timeoutMs?: number;
  /** Service codes the store sells as scheduled delivery (the API has no such flag). */
  scheduledServiceCodes?: readonly string[];
  /**
   * The cart travels as one parcel of its total weight, because the quote request knows the
   * weight only. Carriers require dimensions; the default is the Correios minimum box.
   */
  parcel?: { heightCm: number; widthCm: number; lengthCm: number };
}

const DEFAULT_TIMEOUT_MS = 5_000;
const CORREIOS_MINIMUM_PARCEL = { heightCm: 2, widthCm: 11, lengthCm: 16 };

/*
 * Wire format: Frenet's shipping-quote API, mirrored field for field so that pointing
 * `baseUrl` at Frenet works, and a carrier or in-house gateway can implement the same small
 * contract. Shapes as in Frenet's official PHP SDK, github.com/FrenetGatewaydeFretes/frenet-php:
 * src/Command/Shipping/QuoteInterface.php (request fields, POST "shipping/quote"),
 * src/ObjectType/Entity/Shipping/Quote.php and Quote/ServiceInterface.php (response).
 *
 *   POST /shipping/quote        header `token: <token>`
 *   { "SellerCEP": "01310100", "RecipientCEP": "20040020", "ShipmentInvoiceValue": 129.9,
 *     "ShippingItemArray": [{ "Weight": 1.5, "Height": 2, "Width": 11, "Length": 16, "Quantity": 1 }],
 *     "RecipientCountry": "BR" }
 *   → { "ShippingSevicesArray": [{ "ServiceCode": "03298", "ServiceDescription": "PAC",
 *        "Carrier": "Correios", "ShippingPrice": "23.61", "DeliveryTime": "6",
 *        "Error": false, "Msg": null }] }
 *
 * Money and weight are decimals of reais and kilograms there. The invoice value is sent as
 * cents / 100, whose shortest JSON spelling is the exact decimal; prices coming back are read
 * from their decimal spelling (never multiplied as floats), and a price with more than two
 * decimals is refused rather than rounded. "Sevices" is Frenet's own spelling; the correct one
 * is accepted too.
 */
const amount = z.union([z.string(), z.number()]);
const serviceSchema = z.object({
  ServiceCode: amount.optional(),
  ServiceDescription: z.string().min(1),
  Carrier: z.string().nullish(),
  ShippingPrice: amount.nullish(),
  DeliveryTime: amount.nullish(),
  Error: z.boolean().nullish(),
  Msg: z.string().nullish(),
});
const responseSchema = z.object({
  ShippingSevicesArray: z.array(serviceSchema).optional(),
  ShippingServicesArray: z.array(serviceSchema).optional(),
});
type WireService = z.infer<typeof serviceSchema>;

export class HttpFreightCarrier implements FreightCarrier {
  readonly name: string;
  private readonly url: URL;
  private readonly timeoutMs: number;
  private readonly scheduled: ReadonlySet<string>;

  constructor(private readonly config: HttpFreightCarrierConfig) {
    this.name = config.name;
    this.url = new URL('shipping/quote', config.baseUrl.endsWith('/') ? config.baseUrl : `${config.baseUrl}/`);
    this.timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.scheduled = new Set(config.scheduledServiceCodes ?? []);
  }

  async quote(request: QuoteRequest, signal?: AbortSignal): Promise<CarrierOption[]> {
    const parcel = this.config.parcel ?? CORREIOS_MINIMUM_PARCEL;
    const body = {
      SellerCEP: request.originPostalCode,
      RecipientCEP: request.destinationPostalCode,
      ShipmentInvoiceValue: request.merchandiseCents / 100,
      ShippingItemArray: [
        { Weight: request.weightGrams / 1000, Height: parcel.heightCm, Width: parcel.widthCm, Length: parcel.lengthCm, Quantity: 1 },
      ],
      RecipientCountry: 'BR',
    };

    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), this.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal;
    try {
      let response: Response;
      try {
        response = await fetch(this.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json', token: this.config.token },
          body: JSON.stringify(body),
          signal: combined,
        });
      } catch (err) {
        throw this.transportError(err, timeout.signal, signal);
      }
      let text: string;
      try {
        text = await response.text();
      } catch (err) {
        throw this.transportError(err, timeout.signal, signal);
      }
      if (!response.ok) {
        throw new CarrierError('HTTP_ERROR', `HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`);
      }
      return this.readOptions(text);
    } finally {
      clearTimeout(timer);
    }
  }

  private transportError(err: unknown, timeout: AbortSignal, caller?: AbortSignal): CarrierError {
    if (timeout.aborted) return new CarrierError('TIMEOUT', `No answer within ${this.timeoutMs} ms.`, { cause: err });
    if (caller?.aborted) return new CarrierError('TIMEOUT', 'The quote stopped waiting for this carrier.', { cause: err });
    const detail = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
    return new CarrierError('NETWORK_ERROR', detail, { cause: err });
  }

  private readOptions(text: string): CarrierOption[] {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new CarrierError('INVALID_RESPONSE', 'The answer is not JSON.', { cause: err });
    }
    const parsed = responseSchema.safeParse(json);
    if (!parsed.success) throw new CarrierError('INVALID_RESPONSE', `Unexpected answer: ${parsed.error.issues[0]?.message ?? 'bad shape'}.`);
    const services = parsed.data.ShippingSevicesArray ?? parsed.data.ShippingServicesArray;
    if (!services) throw new CarrierError('INVALID_RESPONSE', 'The answer has no ShippingSevicesArray.');

    const options: CarrierOption[] = [];
    const refusals: string[] = [];
    let malformed = 0;
    for (const service of services) {
      if (service.Error) {
        refusals.push(`${service.ServiceDescription}: ${service.Msg ?? 'unavailable'}`);
        continue;
      }
      const option = this.toOption(service);
      if (option) options.push(option);
      else malformed++;
    }
    if (options.length === 0) {
      if (malformed > 0) throw new CarrierError('INVALID_RESPONSE', `${malformed} service(s) without a valid price or delivery time.`);
      throw new CarrierError('NO_SERVICE', refusals.length ? refusals.join('; ') : 'No service offered.');
    }
    return options;
  }

  private toOption(service: WireService): CarrierOption | undefined {
    const priceCents = service.ShippingPrice == null ? undefined : parseDecimalToCents(String(service.ShippingPrice));
    const days = service.DeliveryTime == null ? undefined : parseWholeNumber(String(service.DeliveryTime), 4);
    if (priceCents === undefined || days === undefined) return undefined;
    const code = service.ServiceCode === undefined ? undefined : String(service.ServiceCode);
    return {
      method: service.ServiceDescription,
      carrier: service.Carrier || this.name,
      priceCents,
      days,
      scheduled: code !== undefined && this.scheduled.has(code),
    };
  }
}
