import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { CSV_BOM, csvCell, exportFileName, sheetName, tableValues, toCsv, toXlsx, type ExportTable } from './table-export';

interface Row { no: string; title: string; hours: number | null; rate: number }

const table: ExportTable<Row> = {
  name: '卡点',
  columns: [
    { header: '工单号', value: (r) => r.no },
    { header: '标题', value: (r) => r.title },
    { header: '时长（小时）', value: (r) => r.hours, numFmt: '0.0' },
    { header: '比率', value: (r) => r.rate, numFmt: '0.0%' },
  ],
  rows: [
    { no: 'MX20260218-0872', title: '空调不制冷, 3号楼', hours: 12.5, rate: 0.25 },
    { no: 'MX20260218-AB017', title: '他说"马上到"\n然后没来', hours: null, rate: 1 },
    { no: 'MX20260219-0001', title: '=HYPERLINK("http://x")', hours: 0, rate: 0 },
  ],
};

describe('CSV export', () => {
  it('starts with a BOM, ends lines with CRLF and quotes commas, quotes and line breaks', () => {
    const csv = toCsv(table);
    expect(csv.startsWith(CSV_BOM)).toBe(true);
    expect(csv.slice(1).split('\r\n')).toEqual([
      '工单号,标题,时长（小时）,比率',
      'MX20260218-0872,"空调不制冷, 3号楼",12.5,0.25',
      'MX20260218-AB017,"他说""马上到""\n然后没来",,1',
      `MX20260219-0001,"'=HYPERLINK(""http://x"")",0,0`,
      '',
    ]);
  });

  it('writes empty cells for null and non-finite numbers and keeps formulas as text', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell('+86 138')).toBe("'+86 138");
    expect(csvCell('@sum')).toBe("'@sum");
    expect(csvCell(-3)).toBe('-3');
  });
});

describe('Excel export', () => {
  it('writes an .xlsx that exceljs reads back with the same rows', async () => {
    const bytes = await toXlsx(table);
    expect([...bytes.slice(0, 2)]).toEqual([0x50, 0x4b]); // a zip
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    const sheet = book.getWorksheet('卡点');
    expect(sheet).toBeDefined();
    const read: unknown[][] = [];
    sheet!.eachRow({ includeEmpty: true }, (row) => {
      const cells: unknown[] = [];
      for (let c = 1; c <= table.columns.length; c++) {
        const v = row.getCell(c).value;
        cells.push(v === undefined ? null : v);
      }
      read.push(cells);
    });
    expect(read).toEqual(tableValues(table));
    expect(sheet!.getRow(1).font?.bold).toBe(true);
    expect(sheet!.getColumn(4).numFmt).toBe('0.0%');
  });
});

describe('names', () => {
  it('keep sheet names within Excel’s rules and file names within the file system’s', () => {
    expect(sheetName('a/b:c?d*e[f]')).toBe('a b c d e f ');
    expect(sheetName('x'.repeat(40))).toHaveLength(31);
    expect(exportFileName('断点/楼栋', '2026-03-10', 'csv')).toBe('断点_楼栋-2026-03-10.csv');
  });
});
