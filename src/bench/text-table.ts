/** A plain-text table: a header row, a rule, then rows; numbers right-aligned, text left-aligned. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = header.map(
    (_, i) => rows.length > 0 && rows.every((r) => /^[-+]?[\d.,]+%?$|^[-–]$/.test(r[i] ?? '')),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** A number for the table: fixed decimals, '–' when not measured. */
export function fixed(value: number | undefined, decimals = 0): string {
  return value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(decimals);
}

/** A fraction as a percentage, e.g. 0.634 → '63%'. */
export function percent(value: number | undefined, decimals = 0): string {
  return value === undefined || !Number.isFinite(value) ? '–' : `${(value * 100).toFixed(decimals)}%`;
}
