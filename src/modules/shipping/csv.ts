import { normalizeCep, parseDecimalToCents, parseWholeNumber } from './parse.js';
import type { ShippingTableRow } from './shipping.types.js';
import { findOverlaps, rowProblems } from './table-quote.js';

/**
 * Shipping-table CSV, as operators export it from a spreadsheet:
 *
 *   cep_from,cep_to,weight_from_g,weight_to_g,price,days
 *   01000-000,05999-999,0,1000,"12,90",3
 *
 * - Fields are separated by `,` or by `;` (what a Brazilian Excel writes, because the comma is
 *   its decimal separator); the header line decides which. Fields may be double-quoted, with
 *   `""` for a quote inside; a quoted field does not span lines.
 * - Columns are found by name, in any order. CEPs take 8 digits with or without the dash.
 *   Weights are whole grams; both ranges are inclusive (see shipping.types.ts).
 * - `price` is in **reais**: "12,90", "12.90", "12.9" and "12" are R$ 12,90 / 12,90 / 12,90 /
 *   12,00, converted to centavos on the digits, exactly. At most two decimals and no thousands
 *   separator, so nothing is rounded or guessed. A file may instead have a `price_cents` column
 *   of whole centavos ("1290"); the header says which, because reading "12" as twelve centavos
 *   in one file and twelve reais in another is a hundredfold mistake nobody would spot.
 * - Line numbers are physical lines of the file, the header being line 1 when it is the first;
 *   blank lines (or lines of empty fields, which spreadsheets append) are skipped but counted.
 *
 * Written by hand rather than with a CSV library because the format is this small and every
 * problem must carry the line it is on; adding a dependency also touches package.json, which
 * other work edits in parallel.
 */

export interface CsvProblem {
  /** 1-based physical line of the file. */
  line: number;
  /** The column at fault, when the problem is one field's. */
  column?: string;
  message: string;
}

export interface ParsedTableRow extends ShippingTableRow {
  line: number;
}

export interface ParsedTableCsv {
  /** The rows that parsed; the file as a whole is usable only when `errors` is empty. */
  rows: ParsedTableRow[];
  errors: CsvProblem[];
}

const BASE_COLUMNS = ['cep_from', 'cep_to', 'weight_from_g', 'weight_to_g', 'days'] as const;
const PRICE_COLUMNS = ['price', 'price_cents'] as const;
type Column = (typeof BASE_COLUMNS)[number] | (typeof PRICE_COLUMNS)[number];
const KNOWN = new Set<string>([...BASE_COLUMNS, ...PRICE_COLUMNS]);
const isColumn = (name: string): name is Column => KNOWN.has(name);

const MAX_GRAMS_DIGITS = 9; // up to 999 999 999 g: far beyond any parcel, well inside safe integers
const MAX_DAYS_DIGITS = 4;

export function parseShippingTableCsv(text: string): ParsedTableCsv {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const errors: CsvProblem[] = [];
  const rows: ParsedTableRow[] = [];

  const headerIndex = lines.findIndex((l) => l.trim() !== '');
  if (headerIndex < 0) return { rows, errors: [{ line: 1, message: 'The file is empty; expected a header line.' }] };
  const headerLine = headerIndex + 1;
  const delimiter = lines[headerIndex]!.includes(';') ? ';' : ',';

  const header = splitLine(lines[headerIndex]!, delimiter);
  if (typeof header === 'string') return { rows, errors: [{ line: headerLine, message: header }] };
  const columns = readHeader(header.map((h) => h.trim().toLowerCase()), headerLine, errors);
  if (!columns) return { rows, errors };

  for (let i = headerIndex + 1; i < lines.length; i++) {
    const line = i + 1;
    const fields = splitLine(lines[i]!, delimiter);
    if (typeof fields === 'string') {
      errors.push({ line, message: fields });
      continue;
    }
    if (fields.every((f) => f.trim() === '')) continue;
    if (fields.length !== header.length) {
      const hint =
        delimiter === ',' && fields.length > header.length
          ? ' A price with a decimal comma must be quoted ("12,90"), or the file separated by ";".'
          : '';
      errors.push({ line, message: `Expected ${header.length} fields, found ${fields.length}.${hint}` });
      continue;
    }
    const row = readRow(fields, columns, line, errors);
    if (row) rows.push(row);
  }

  // Overlaps are only meaningful between rows that parsed; each is reported on the later line.
  for (const { first, second } of findOverlaps(rows)) {
    errors.push({ line: rows[second]!.line, message: `Overlaps line ${rows[first]!.line}: both price the same CEPs and weights.` });
  }
  errors.sort((a, b) => a.line - b.line);
  return { rows, errors };
}

type ColumnIndex = Record<(typeof BASE_COLUMNS)[number], number> & { price: { index: number; unit: 'REAIS' | 'CENTS' } };

function readHeader(names: string[], line: number, errors: CsvProblem[]): ColumnIndex | undefined {
  const before = errors.length;
  const seen = new Map<Column, number>();
  names.forEach((name, index) => {
    if (!isColumn(name)) errors.push({ line, message: `Unknown column "${name}".` });
    else if (seen.has(name)) errors.push({ line, column: name, message: `Column "${name}" appears twice.` });
    else seen.set(name, index);
  });
  for (const column of BASE_COLUMNS) {
    if (!seen.has(column)) errors.push({ line, column, message: `Missing column "${column}".` });
  }
  const reais = seen.get('price');
  const cents = seen.get('price_cents');
  if (reais !== undefined && cents !== undefined) errors.push({ line, message: 'Give either "price" (reais) or "price_cents", not both.' });
  if (reais === undefined && cents === undefined) errors.push({ line, column: 'price', message: 'Missing column "price" (or "price_cents").' });
  if (errors.length > before) return undefined;
  return {
    cep_from: seen.get('cep_from')!,
    cep_to: seen.get('cep_to')!,
    weight_from_g: seen.get('weight_from_g')!,
    weight_to_g: seen.get('weight_to_g')!,
    days: seen.get('days')!,
    price: reais !== undefined ? { index: reais, unit: 'REAIS' } : { index: cents!, unit: 'CENTS' },
  };
}

function readRow(fields: string[], columns: ColumnIndex, line: number, errors: CsvProblem[]): ParsedTableRow | undefined {
  const fail = (column: string, message: string) => {
    errors.push({ line, column, message });
    return undefined;
  };
  const cep = (column: 'cep_from' | 'cep_to') => {
    const raw = fields[columns[column]]!;
    return normalizeCep(raw) ?? fail(column, `${column} "${raw.trim()}" is not a CEP of 8 digits (01310-100 or 01310100).`);
  };
  const whole = (column: 'weight_from_g' | 'weight_to_g' | 'days', digits: number, what: string) => {
    const raw = fields[columns[column]]!;
    return parseWholeNumber(raw, digits) ?? fail(column, `${column} "${raw.trim()}" is not ${what}.`);
  };

  const postalCodeFrom = cep('cep_from');
  const postalCodeTo = cep('cep_to');
  const weightFromGrams = whole('weight_from_g', MAX_GRAMS_DIGITS, 'a whole number of grams');
  const weightToGrams = whole('weight_to_g', MAX_GRAMS_DIGITS, 'a whole number of grams');
  const rawPrice = fields[columns.price.index]!;
  const priceCents =
    columns.price.unit === 'REAIS'
      ? (parseDecimalToCents(rawPrice) ??
        fail('price', `price "${rawPrice.trim()}" is not an amount in reais with at most 2 decimals, like 12,90 or 12.90.`))
      : (parseWholeNumber(rawPrice, 15) ?? fail('price_cents', `price_cents "${rawPrice.trim()}" is not a whole number of centavos.`));
  const days = whole('days', MAX_DAYS_DIGITS, 'a whole number of days');

  if (
    postalCodeFrom === undefined ||
    postalCodeTo === undefined ||
    weightFromGrams === undefined ||
    weightToGrams === undefined ||
    priceCents === undefined ||
    days === undefined
  )
    return undefined;

  const row: ParsedTableRow = { line, postalCodeFrom, postalCodeTo, weightFromGrams, weightToGrams, priceCents, days };
  const problems = rowProblems(row);
  if (problems.length) {
    for (const message of problems) errors.push({ line, message: `${message}.` });
    return undefined;
  }
  return row;
}

/** Splits one line into fields; a string result is what is wrong with its quoting. */
function splitLine(line: string, delimiter: string): string[] | string {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= line.length) return 'A quoted field is not closed on this line.';
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += line[i];
        i++;
      }
      fields.push(value);
      if (i < line.length && line[i] !== delimiter) return `Unexpected text after a closing quote at column ${i + 1}.`;
    } else {
      const end = line.indexOf(delimiter, i);
      fields.push(line.slice(i, end < 0 ? line.length : end));
      i = end < 0 ? line.length : end;
    }
    if (i >= line.length) return fields;
    i++; // past the delimiter; a trailing delimiter leaves one more, empty, field
    if (i === line.length) {
      fields.push('');
      return fields;
    }
  }
}
