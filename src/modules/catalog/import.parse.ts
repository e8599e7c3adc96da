import { badInput } from '../../shared/errors/index.js';
import { readCsvRecords } from '../../shared/csv/index.js';

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
  const records = readCsvRecords(data, ['input', 'data']);
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
