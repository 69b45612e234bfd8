/** Epoch milliseconds → ISO-8601 UTC string: the only form time takes at the edges (API, CLI, files). */
export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * ISO-8601 date or date-time → epoch milliseconds. A date without a zone is read as UTC, never local time.
 * Returns NaN for anything unparseable so callers can report the field.
 */
export function parseIso(text: string): number {
  const trimmed = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(trimmed)) return Date.parse(`${trimmed}T00:00:00Z`);
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(trimmed)) return Date.parse(`${trimmed}Z`);
  return Date.parse(trimmed);
}
