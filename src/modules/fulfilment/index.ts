// Invoices, shipments and tracking of orders after checkout.
export { parseAccessKey, accessKeyCheckDigit, documentInKey, NFE_MODEL, type AccessKey } from './nfe-key.js';
