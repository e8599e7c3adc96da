import type { Seller } from '../sellers/index.js';

/** A seller's own product and SKU codes. No '-', so a raw code can never pose as another seller's prefixed code. */
export const RAW_CODE_RE = /^[A-Za-z0-9._]{1,40}$/;

/** `<concat>-<raw>` when the seller has a concatenation code, otherwise `<raw>`. */
export function displayedCode(seller: Pick<Seller, 'concatenationCode'>, raw: string): string {
  return seller.concatenationCode ? `${seller.concatenationCode}-${raw}` : raw;
}
