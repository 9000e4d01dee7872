/**
 * The findings as a file: JSON (the report as the contract has it) or CSV, one finding per row.
 * Both carry rule ids and parameters rather than prose, so a spreadsheet or a script can sort
 * and filter them the same whatever language the app speaks.
 */
import type { AdvisorExportFormat, AdvisorReport } from '../../preload/contract.js';

const CSV_COLUMNS = ['id', 'rule', 'severity', 'silenced', 'hosts', 'vms', 'remedy', 'remedy_vm', 'details'] as const;

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. A leading = + - @ is defused for spreadsheets. */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function findingsCsv(report: AdvisorReport, hostLabel: (hostId: string) => string): string {
  const rows = [CSV_COLUMNS.join(',')];
  for (const item of report.findings) {
    const fields = [
      item.id,
      item.rule,
      item.severity,
      item.silenced ? 'yes' : 'no',
      item.hostIds.map(hostLabel).join('; '),
      item.vms.map((vm) => `${vm.name}@${hostLabel(vm.hostId)}`).join('; '),
      item.remedy?.kind ?? '',
      item.remedy ? `${item.remedy.vm.name}@${hostLabel(item.remedy.vm.hostId)}` : '',
      Object.entries(item.params)
        .map(([key, value]) => `${key}=${value}`)
        .join('; '),
    ];
    rows.push(fields.map(csvField).join(','));
  }
  return `${rows.join('\r\n')}\r\n`;
}

export function exportFindings(report: AdvisorReport, format: AdvisorExportFormat, hostLabel: (hostId: string) => string, now = new Date()): { fileName: string; mimeType: string; text: string } {
  const stamp = now.toISOString().slice(0, 19).replace(/[:T]/g, '-');
  if (format === 'json') return { fileName: `virtdeck-advisor-${stamp}.json`, mimeType: 'application/json', text: `${JSON.stringify(report, null, 2)}\n` };
  return { fileName: `virtdeck-advisor-${stamp}.csv`, mimeType: 'text/csv', text: findingsCsv(report, hostLabel) };
}
