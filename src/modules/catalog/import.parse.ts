import { badInput } from '../../shared/errors/index.js';

/**
 * The columns of a product import file, one row per SKU; rows sharing `product_code` form one
 * product. A column left out of the file keeps what the store has; a column present with an
 * empty cell clears the value (except `stock` and `status`, where empty means "leave as is").
 */
export const IMPORT_COLUMNS = [
  'product_code',
  'name',
  'description',
  'category_slug',
  'brand',
  'tags',
  'sku_code',
  'color',
  'size',
  'price',
  'list_price',
  'weight_grams',
  'height_mm',
  'width_mm',
  'length_mm',
  'stock',
  'image_urls',
  'status',
] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

const COLUMN_SET = new Set<string>(IMPORT_COLUMNS);
const isColumn = (name: string): name is ImportColumn => COLUMN_SET.has(name);
const REQUIRED_COLUMNS: ImportColumn[] = ['product_code', 'sku_code', 'price'];
/** `|`-separated in CSV; a JSON file may also give them as arrays of strings. */
export const LIST_COLUMNS = new Set<ImportColumn>(['tags', 'image_urls']);

export type Cell = string | string[];

/** One data row: `line` is the physical line it starts on (CSV) or its array index + 1 (JSON). */
export interface RawRow {
  line: number;
  /** A missing key means the file does not have that column (for JSON: that row has no such key). */
  cells: Partial<Record<ImportColumn, Cell>>;
  /** A problem with the row's shape; its cells are not trusted. */
  error?: { message: string; column: ImportColumn | null };
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

interface CsvRecord {
  line: number;
  fields: string[];
  error?: string;
}

/**
 * RFC 4180 CSV: quoted fields may hold delimiters, doubled quotes and line breaks; records end
 * with LF, CRLF or CR. Each record keeps the physical line it starts on, which is what a
 * spreadsheet user sees, so errors point at the right line even after a multi-line cell.
 * A quote inside an unquoted field is kept as text (`12" monitor`), as spreadsheets write it.
 */
function parseCsvRecords(text: string, delimiter: number): CsvRecord[] {
  const records: CsvRecord[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  while (i < n) {
    const record: CsvRecord = { line, fields: [] };
    for (;;) {
      if (text.charCodeAt(i) === QUOTE) {
        const openedAt = line;
        i += 1;
        let value = '';
        let from = i;
        let closed = false;
        while (i < n) {
          const ch = text.charCodeAt(i);
          if (ch === QUOTE) {
            if (text.charCodeAt(i + 1) === QUOTE) {
              value += text.slice(from, i + 1);
              i += 2;
              from = i;
              continue;
            }
            value += text.slice(from, i);
            i += 1;
            closed = true;
            break;
          }
          if (ch === LF || (ch === CR && text.charCodeAt(i + 1) !== LF)) line += 1;
          i += 1;
        }
        if (!closed) {
          throw badInput(`Line ${openedAt}: a quoted field is never closed, so the rest of the file cannot be read.`, 'input', 'data');
        }
        if (i < n) {
          const next = text.charCodeAt(i);
          if (next !== delimiter && next !== LF && next !== CR) {
            record.error ??= `Field ${record.fields.length + 1} has text after its closing quote; double a quote inside a quoted field ("").`;
            while (i < n && text.charCodeAt(i) !== delimiter && text.charCodeAt(i) !== LF && text.charCodeAt(i) !== CR) i += 1;
          }
        }
        record.fields.push(value);
      } else {
        const from = i;
        while (i < n) {
          const ch = text.charCodeAt(i);
          if (ch === delimiter || ch === LF || ch === CR) break;
          i += 1;
        }
        record.fields.push(text.slice(from, i));
      }
      if (i >= n) break;
      const ch = text.charCodeAt(i);
      if (ch === delimiter) {
        i += 1;
        if (i >= n) {
          record.fields.push('');
          break;
        }
        continue;
      }
      i += ch === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      line += 1;
      break;
    }
    const blank = record.fields.length === 1 && record.fields[0]!.trim() === '' && !record.error;
    if (!blank) records.push(record);
  }
  return records;
}

/**
 * Comma, or semicolon when the header uses it: Brazilian spreadsheets save CSV with ';'
 * because ',' is their decimal separator.
 */
function detectDelimiter(text: string): number {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text.charCodeAt(i);
    if (ch === QUOTE) quoted = !quoted;
    else if (!quoted && (ch === LF || ch === CR)) break;
    else if (!quoted && ch === 44) commas += 1;
    else if (!quoted && ch === 59) semicolons += 1;
  }
  return semicolons > commas ? 59 : 44;
}

function checkHeader(names: string[]): void {
  const unknown = names.filter((name) => !isColumn(name));
  if (unknown.length) {
    throw badInput(`Unknown column(s): ${unknown.map((u) => `"${u}"`).join(', ')}. The columns are: ${IMPORT_COLUMNS.join(', ')}.`, 'input', 'data');
  }
  const repeated = names.filter((name, i) => names.indexOf(name) !== i);
  if (repeated.length) throw badInput(`Column(s) given twice: ${[...new Set(repeated)].join(', ')}.`, 'input', 'data');
  const missing = REQUIRED_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length) throw badInput(`The file needs the column(s) ${missing.join(', ')}.`, 'input', 'data');
}

/** A CSV file with a header row (line 1) into rows; file-level problems are BAD_USER_INPUT. */
export function rowsFromCsv(data: string): RawRow[] {
  const text = data.charCodeAt(0) === 0xfeff ? data.slice(1) : data;
  const records = parseCsvRecords(text, detectDelimiter(text));
  const header = records.shift();
  if (!header) throw badInput('The file is empty: it needs a header row and one row per SKU.', 'input', 'data');
  if (header.line !== 1) throw badInput('Line 1 must be the header row (the column names).', 'input', 'data');
  const names = header.fields.map((h) => h.trim().toLowerCase());
  checkHeader(names);
  const columns = names.filter(isColumn);
  const codeAt = columns.indexOf('product_code');
  return records.map((record) => {
    const row: RawRow = { line: record.line, cells: {} };
    if (record.error) row.error = { message: record.error, column: null };
    else if (record.fields.length !== columns.length) {
      row.error = { message: `This row has ${record.fields.length} fields; the header has ${columns.length}.`, column: null };
    }
    if (!row.error) {
      columns.forEach((column, i) => {
        row.cells[column] = record.fields[i]!;
      });
    } else if (record.fields.length > codeAt) {
      // Best guess at whose row this is, so that product fails as a whole instead of being
      // saved without this SKU (which would deactivate it).
      row.cells.product_code = record.fields[codeAt]!;
    }
    return row;
  });
}

/** A JSON array of row objects with the same keys as the CSV columns; `line` is the index + 1. */
export function rowsFromJson(data: string): RawRow[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch (err) {
    throw badInput(`The data is not valid JSON (${err instanceof Error ? err.message : 'parse error'}).`, 'input', 'data');
  }
  if (!Array.isArray(parsed)) throw badInput('The JSON data must be an array of row objects.', 'input', 'data');
  return parsed.map((item: unknown, index) => {
    const row: RawRow = { line: index + 1, cells: {} };
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      row.error = { message: 'Each row is an object of column names to values.', column: null };
      return row;
    }
    for (const [key, value] of Object.entries(item)) {
      if (!isColumn(key)) {
        row.error ??= { message: `Unknown column "${key}". The columns are: ${IMPORT_COLUMNS.join(', ')}.`, column: null };
        continue;
      }
      const cell = jsonCell(key, value);
      if (cell === undefined) row.error ??= { message: 'Give a string or a number here (a list of strings for tags and image_urls).', column: key };
      else row.cells[key] = cell;
    }
    return row;
  });
}

function jsonCell(column: ImportColumn, value: unknown): Cell | undefined {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  // Numbers keep their JSON spelling, so 19.9 reaches the price check as "19.9" and is refused.
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (Array.isArray(value) && LIST_COLUMNS.has(column) && value.every((v): v is string => typeof v === 'string')) return value;
  return undefined;
}
