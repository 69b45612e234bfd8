import type { Database } from '@rrr/core';
import type { RiskAlert, RiskAlertSeverity } from '../risk-alert';

interface RiskEventRow {
  ts: number;
  rule: string;
  severity: string;
  symbol: string | null;
  message: string;
  observed_value: number | null;
  limit_value: number | null;
  details: string | null;
}

/**
 * Every risk alert published, kept in `risk_events` so that the alert history survives restarts and reads the same
 * from any process on the database. The alert's own id (a string) and its suppressed count ride in `details`.
 */
export class RiskAlertLog {
  constructor(private readonly db: Database) {}

  async append(alert: RiskAlert): Promise<void> {
    await this.db.execute(
      'INSERT INTO risk_events (ts, rule, severity, symbol, message, observed_value, limit_value, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [
        alert.ts,
        alert.rule,
        alert.severity,
        alert.symbol ?? null,
        alert.message,
        Number.isFinite(alert.value) ? alert.value : null,
        Number.isFinite(alert.limit) ? alert.limit : null,
        JSON.stringify({
          alertId: alert.id,
          ...(alert.suppressedCount === undefined ? {} : { suppressedCount: alert.suppressedCount }),
        }),
      ],
    );
  }

  /** Newest first. */
  async recent(limit: number): Promise<RiskAlert[]> {
    const rows = await this.db.query<RiskEventRow>(
      'SELECT ts, rule, severity, symbol, message, observed_value, limit_value, details FROM risk_events ORDER BY ts DESC, id DESC LIMIT ?',
      [limit],
    );
    return rows.map((row) => {
      const details = parseDetails(row.details);
      const alert: RiskAlert = {
        id: typeof details.alertId === 'string' ? details.alertId : `risk-event-${row.ts}`,
        ts: row.ts,
        rule: row.rule,
        severity: row.severity as RiskAlertSeverity,
        message: row.message,
        // Non-finite values (exposure against zero equity) are stored as NULL.
        value: row.observed_value ?? Number.POSITIVE_INFINITY,
        limit: row.limit_value ?? 0,
      };
      if (row.symbol !== null) alert.symbol = row.symbol;
      if (typeof details.suppressedCount === 'number') alert.suppressedCount = details.suppressedCount;
      return alert;
    });
  }
}

function parseDetails(text: string | null): Record<string, unknown> {
  if (text === null) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
