import { useMessage } from 'naive-ui';
import { exportFileName, toCsv, toXlsx, type ExportTable } from '../export/table-export';
import { useI18n } from './useI18n';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function download(blob: Blob, file: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = file;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Saves a table as CSV (UTF-8 with BOM) or Excel, and tells the person how it went. */
export function useExport() {
  const message = useMessage();
  const { t } = useI18n();

  async function exportTable<R>(table: ExportTable<R>, kind: 'csv' | 'xlsx', date: string): Promise<void> {
    const file = exportFileName(table.name, date, kind);
    try {
      const blob = kind === 'csv'
        ? new Blob([toCsv(table)], { type: 'text/csv;charset=utf-8' })
        : new Blob([(await toXlsx(table)) as Uint8Array<ArrayBuffer>], { type: XLSX_TYPE });
      download(blob, file);
      message.success(t('export.done', { file }));
    } catch (e) {
      message.error(t('export.failed', { message: e instanceof Error ? e.message : String(e) }));
    }
  }

  return { exportTable };
}
