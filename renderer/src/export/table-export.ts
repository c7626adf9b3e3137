/**
 * Every table of the supervisor view as a file: CSV that Excel opens with Chinese intact (UTF-8
 * with a BOM, CRLF, RFC 4180 quoting) and .xlsx written with exceljs. Pure: the caller downloads
 * the bytes. exceljs (~1 MB) is imported on the first Excel export only.
 */

export type Cell = string | number | null;

export interface ExportColumn<R> {
  header: string;
  /** A method, so a table of any row type passes where ExportTable<unknown> is taken. */
  value(row: R): Cell;
  /** Excel number format, e.g. '0.0%' or '0.00'. */
  numFmt?: string;
  /** Excel column width in characters. */
  width?: number;
}

export interface ExportTable<R> {
  /** The sheet's name and the file's base name. */
  name: string;
  columns: readonly ExportColumn<R>[];
  rows: readonly R[];
}

export const CSV_BOM = '\uFEFF';

/** A text that a spreadsheet would run as a formula (=, +, -, @, tab, CR) is kept as text. */
function defuse(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export function csvCell(value: Cell): string {
  if (value === null || (typeof value === 'number' && !Number.isFinite(value))) return '';
  const text = typeof value === 'number' ? String(value) : defuse(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The values of a table, header first (what both formats write). */
export function tableValues<R>(table: ExportTable<R>): Cell[][] {
  return [table.columns.map((c) => c.header), ...table.rows.map((r) => table.columns.map((c) => c.value(r)))];
}

export function toCsv<R>(table: ExportTable<R>): string {
  return CSV_BOM + tableValues(table).map((line) => line.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** Sheet names: at most 31 characters, none of : \ / ? * [ ]. */
export function sheetName(name: string): string {
  return name.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31) || 'Sheet1';
}

/** The table as an .xlsx workbook (one sheet, bold frozen header, filters on). */
export async function toXlsx<R>(table: ExportTable<R>): Promise<Uint8Array> {
  const { default: ExcelJS } = await import('exceljs');
  const book = new ExcelJS.Workbook();
  book.creator = 'Closeloop';
  const sheet = book.addWorksheet(sheetName(table.name), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = table.columns.map((c, i) => ({
    key: `c${i}`,
    width: c.width ?? Math.min(60, Math.max(10, c.header.length * 2 + 2)),
    ...(c.numFmt ? { style: { numFmt: c.numFmt } } : {}),
  }));
  const [header, ...body] = tableValues(table);
  sheet.addRow(header);
  sheet.getRow(1).font = { bold: true };
  for (const line of body) sheet.addRow(line.map((v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)));
  if (table.columns.length > 0) sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: table.columns.length } };
  const buffer = await book.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer);
}

/** A file name from the table's name and a date, without characters file systems refuse. */
export function exportFileName(name: string, date: string, ext: 'csv' | 'xlsx'): string {
  return `${name}-${date}.${ext}`.replace(/[<>:"/\\|?*\u0000-\u001f]/g, '_');
}
