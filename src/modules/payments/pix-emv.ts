import { centsToDecimalString } from './decimal.js';

/**
 * A BR Code ("Pix copia e cola") payload in the EMV QR layout the Banco Central specifies:
 * ID(2) + length(2) + value fields, closed by a CRC16-CCITT checksum. The sandbox uses it
 * so its QR codes have the shape real ones have (a banking app would still refuse them:
 * the location URL points nowhere).
 */
export interface PixPayloadInput {
  amountCents: number;
  /** Dynamic Pix: where a payer's bank would fetch the charge. */
  location: string;
  merchantName: string;
  merchantCity: string;
  /** 1–25 letters or digits. */
  txid: string;
}

function field(id: string, value: string): string {
  if (value.length > 99) throw new Error(`EMV field ${id} longer than 99 characters`);
  return `${id}${String(value.length).padStart(2, '0')}${value}`;
}

/** CRC16/CCITT-FALSE (polynomial 0x1021, initial 0xFFFF), as the BR Code manual requires. */
export function crc16(text: string): string {
  let crc = 0xffff;
  for (const byte of Buffer.from(text, 'utf8')) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

const ascii = (text: string, max: number) =>
  text
    .normalize('NFD')
    .replace(/[^\x20-\x7e]/g, '')
    .toUpperCase()
    .slice(0, max);

export function pixPayload(input: PixPayloadInput): string {
  const body =
    field('00', '01') +
    field('01', '12') + // point of initiation 12: the code is for this one payment
    field('26', field('00', 'br.gov.bcb.pix') + field('25', input.location)) +
    field('52', '0000') +
    field('53', '986') + // ISO 4217 numeric code of BRL
    field('54', centsToDecimalString(input.amountCents)) +
    field('58', 'BR') +
    field('59', ascii(input.merchantName, 25)) +
    field('60', ascii(input.merchantCity, 15)) +
    field('62', field('05', input.txid.replace(/[^A-Za-z0-9]/g, '').slice(0, 25) || '***'));
  const withCrcHeader = `${body}6304`;
  return withCrcHeader + crc16(withCrcHeader);
}
