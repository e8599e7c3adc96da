import { badInput } from '../errors/index.js';

/**
 * Reading CSV files people export from spreadsheets (product imports, fulfilment files): one
 * home, so every file the API takes follows the same rules and reports the same line numbers.
 */

const QUOTE = 34;
const LF = 10;
const CR = 13;

export interface CsvRecord {
  /** The physical line the record starts on (1-based), what a spreadsheet user sees. */
  line: number;
  fields: string[];
  /** What is wrong with the record's shape (text after a closing quote); its fields are not trusted. */
  error?: string;
}

/**
 * RFC 4180 CSV: quoted fields may hold delimiters, doubled quotes and line breaks; records end
 * with LF, CRLF or CR. Each record keeps the physical line it starts on, which is what a
 * spreadsheet user sees, so errors point at the right line even after a multi-line cell.
 * A quote inside an unquoted field is kept as text (`12" monitor`), as spreadsheets write it.
 */
function parseCsvRecords(text: string, delimiter: number, field: readonly string[]): CsvRecord[] {
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
          throw badInput(`Line ${openedAt}: a quoted field is never closed, so the rest of the file cannot be read.`, ...field);
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


/**
 * The records of a CSV text, header included (records[0]), blank lines skipped but counted.
 * A byte-order mark is dropped; the delimiter is ',' or ';' as the header uses. A quoted field
 * left open is BAD_USER_INPUT on `field`, since nothing after it can be read.
 */
export function readCsvRecords(data: string, field: readonly string[]): CsvRecord[] {
  const text = data.charCodeAt(0) === 0xfeff ? data.slice(1) : data;
  return parseCsvRecords(text, detectDelimiter(text), field);
}
