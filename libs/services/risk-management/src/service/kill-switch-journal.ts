import type { Database } from '@rrr/core';
import type { KillSwitchStatus } from '../kill-switch';

const SERVICE = 'risk-management';
const TYPE = 'kill-switch';

/**
 * The kill switch's state in `system_events`, one row per engagement or release: an operator's stop must survive a
 * restart of the process (the alert history in `risk_events` says what happened, this says what holds now).
 */
export class KillSwitchJournal {
  constructor(private readonly db: Database) {}

  async record(ts: number, status: KillSwitchStatus): Promise<void> {
    await this.db.execute(
      'INSERT INTO system_events (ts, service, level, type, message, details) VALUES (?, ?, ?, ?, ?, ?)',
      [
        ts,
        SERVICE,
        status.engaged ? 'warn' : 'info',
        TYPE,
        status.engaged ? `kill switch engaged by ${status.by}: ${status.reason}` : 'kill switch released',
        JSON.stringify(status),
      ],
    );
  }

  /** The last recorded state, or null when the switch was never used on this database. */
  async latest(): Promise<KillSwitchStatus | null> {
    const row = await this.db.queryOne<{ details: string | null }>(
      'SELECT details FROM system_events WHERE service = ? AND type = ? ORDER BY ts DESC, id DESC LIMIT 1',
      [SERVICE, TYPE],
    );
    if (row?.details == null) return null;
    const status = JSON.parse(row.details) as Partial<KillSwitchStatus>;
    if (typeof status.engaged !== 'boolean') {
      throw new Error(`system_events holds a kill-switch row without an engaged flag: ${row.details}`);
    }
    return {
      engaged: status.engaged,
      engagedAt: typeof status.engagedAt === 'number' ? status.engagedAt : null,
      by: typeof status.by === 'string' ? status.by : null,
      reason: typeof status.reason === 'string' ? status.reason : null,
      flatten: status.flatten === true,
    };
  }
}
