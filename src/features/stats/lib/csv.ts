/**
 * CSV export (RFC 4180). Cells with quotes, commas or line breaks are quoted with quotes doubled;
 * text whose first character that is not blank, a quote or ";" is = + - @ (or a full-width
 * ＝ ＋ － ＠), and text starting with a tab / carriage return, is prefixed with ' so a
 * spreadsheet does not run it as a formula — statistics carry URLs, SQL and error messages
 * from agents. Spreadsheets skip such leading characters before parsing a formula.
 */
const FORMULA_START = /^[\s'";]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|^[\t\r]/u;

export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value;
  // Numbers are ours, so only text needs the guard (a negative number must stay a number).
  if (typeof value === 'string' && FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The CSV text of a header row and data rows, CRLF-separated. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | null>>): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** Saves `text` as a file through a temporary object URL. */
export function downloadCsv(filename: string, text: string): void {
  // The BOM makes Excel read the file as UTF-8.
  const blob = new Blob(['\uFEFF', text], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoke later: some browsers start the download asynchronously after click().
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
