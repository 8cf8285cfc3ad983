// The "Export CSV" button every Results table has.
import { t } from '../../i18n';
import { downloadCsv, type CsvCell } from '../../results/csv';

export function ExportButton({ name, rows, testId }: { name: string; rows: () => CsvCell[][]; testId: string }) {
  return (
    <button
      type="button"
      className="button secondary"
      data-testid={testId}
      onClick={() => downloadCsv(`${name}.csv`, rows())}
    >
      {t('results.exportCsv')}
    </button>
  );
}
