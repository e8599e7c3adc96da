export { readCsvRecords, type CsvRecord } from './records.js';
