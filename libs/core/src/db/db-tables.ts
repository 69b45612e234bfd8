import { DatabaseError } from '../errors';

/**
 * How a column's values are encoded on the way in: 'boolean' → 0/1 and 'json' → JSON text (a string is taken as
 * already-serialised JSON). Times are 'integer' epoch milliseconds.
 */
export type DbColumnKind = 'text' | 'integer' | 'real' | 'boolean' | 'json';

export interface DbTableDefinition {
  readonly columns: Readonly<Record<string, DbColumnKind>>;
}

/**
 * The platform schema as it stands after the latest migration: the whitelist for every generated statement
 * (insertMany, copyFrom). A table or column not listed here is never interpolated into SQL. The contract suite
 * checks this against the migrated database of both dialects, so the two cannot drift apart.
 */
export const DB_TABLES = {
  symbols: {
    columns: {
      symbol: 'text',
      asset_class: 'text',
      exchange: 'text',
      base_asset: 'text',
      quote_asset: 'text',
      tick_size: 'real',
      lot_size: 'real',
      min_quantity: 'real',
      min_notional: 'real',
      active: 'boolean',
      metadata: 'json',
      created_at: 'integer',
      updated_at: 'integer',
    },
  },
  bars: {
    columns: {
      symbol: 'text',
      interval: 'text',
      ts: 'integer',
      open: 'real',
      high: 'real',
      low: 'real',
      close: 'real',
      volume: 'real',
      vwap: 'real',
      trades: 'integer',
    },
  },
  bar_series: {
    columns: {
      symbol: 'text',
      interval: 'text',
      bar_count: 'integer',
      first_ts: 'integer',
      last_ts: 'integer',
    },
  },
  orders: {
    columns: {
      id: 'text',
      client_order_id: 'text',
      exchange_order_id: 'text',
      strategy_id: 'text',
      venue: 'text',
      symbol: 'text',
      side: 'text',
      type: 'text',
      time_in_force: 'text',
      quantity: 'real',
      price: 'real',
      stop_price: 'real',
      trailing_percent: 'real',
      trailing_amount: 'real',
      reduce_only: 'boolean',
      parent_id: 'text',
      bracket_role: 'text',
      status: 'text',
      filled_quantity: 'real',
      average_fill_price: 'real',
      reject_reason: 'text',
      created_at: 'integer',
      updated_at: 'integer',
      version: 'integer',
      expires_at: 'integer',
      triggered_at: 'integer',
      trailing_reference: 'real',
      request_fingerprint: 'text',
    },
  },
  fills: {
    columns: {
      id: 'text',
      order_id: 'text',
      symbol: 'text',
      side: 'text',
      quantity: 'real',
      price: 'real',
      fee: 'real',
      fee_currency: 'text',
      liquidity: 'text',
      ts: 'integer',
    },
  },
  positions: {
    columns: {
      symbol: 'text',
      quantity: 'real',
      average_entry_price: 'real',
      realized_pnl: 'real',
      fees_paid: 'real',
      mark_price: 'real',
      opened_at: 'integer',
      updated_at: 'integer',
      version: 'integer',
    },
  },
  portfolio_snapshots: {
    columns: {
      id: 'integer',
      ts: 'integer',
      cash: 'real',
      equity: 'real',
      positions_value: 'real',
      realized_pnl: 'real',
      unrealized_pnl: 'real',
      gross_exposure: 'real',
      net_exposure: 'real',
      leverage: 'real',
      drawdown: 'real',
      positions: 'json',
    },
  },
  risk_events: {
    columns: {
      id: 'integer',
      ts: 'integer',
      rule: 'text',
      severity: 'text',
      symbol: 'text',
      order_id: 'text',
      message: 'text',
      observed_value: 'real',
      limit_value: 'real',
      details: 'json',
    },
  },
  ml_models: {
    columns: {
      id: 'integer',
      name: 'text',
      version: 'integer',
      kind: 'text',
      symbol: 'text',
      interval: 'text',
      horizon_ms: 'integer',
      features: 'json',
      hyperparameters: 'json',
      metrics: 'json',
      artifact_uri: 'text',
      status: 'text',
      trained_from: 'integer',
      trained_to: 'integer',
      created_at: 'integer',
    },
  },
  predictions: {
    columns: {
      id: 'integer',
      model_id: 'integer',
      symbol: 'text',
      interval: 'text',
      ts: 'integer',
      label: 'text',
      probabilities: 'json',
      predicted_return: 'real',
      confidence: 'real',
      created_at: 'integer',
    },
  },
  backtest_runs: {
    columns: {
      id: 'text',
      name: 'text',
      strategy: 'text',
      parameters: 'json',
      symbols: 'json',
      interval: 'text',
      start_ts: 'integer',
      end_ts: 'integer',
      initial_capital: 'real',
      final_equity: 'real',
      metrics: 'json',
      status: 'text',
      error: 'text',
      created_at: 'integer',
      finished_at: 'integer',
      heartbeat_at: 'integer',
      request: 'json',
    },
  },
  backtest_trades: {
    columns: {
      id: 'integer',
      run_id: 'text',
      symbol: 'text',
      side: 'text',
      quantity: 'real',
      entry_ts: 'integer',
      entry_price: 'real',
      exit_ts: 'integer',
      exit_price: 'real',
      pnl: 'real',
      return_pct: 'real',
      fees: 'real',
      exit_reason: 'text',
    },
  },
  audit_log: {
    columns: {
      seq: 'integer',
      ts: 'integer',
      actor: 'text',
      action: 'text',
      payload: 'json',
      prev_hash: 'text',
      hash: 'text',
    },
  },
  system_events: {
    columns: {
      id: 'integer',
      ts: 'integer',
      service: 'text',
      level: 'text',
      type: 'text',
      message: 'text',
      details: 'json',
    },
  },
  backfill_checkpoints: {
    columns: {
      job_id: 'text',
      cursor: 'text',
      rows_written: 'integer',
      updated_at: 'integer',
    },
  },
  quarantined_rows: {
    columns: {
      id: 'integer',
      fingerprint: 'text',
      source: 'text',
      symbol: 'text',
      interval: 'text',
      line: 'integer',
      ts: 'integer',
      problems: 'json',
      raw: 'text',
      created_at: 'integer',
    },
  },
  account_balances: {
    columns: {
      currency: 'text',
      amount: 'real',
      updated_at: 'integer',
      version: 'integer',
    },
  },
  order_rejections: {
    columns: {
      id: 'integer',
      ts: 'integer',
      code: 'text',
      client_order_id: 'text',
      symbol: 'text',
      message: 'text',
      problems: 'json',
      request: 'json',
    },
  },
  api_keys: {
    columns: {
      id: 'text',
      name: 'text',
      scope: 'text',
      hash_algorithm: 'text',
      salt: 'text',
      secret_hash: 'text',
      created_at: 'integer',
      last_used_at: 'integer',
      revoked_at: 'integer',
    },
  },
  signals: {
    columns: {
      id: 'integer',
      ts: 'integer',
      symbol: 'text',
      source: 'text',
      direction: 'text',
      strength: 'real',
      price: 'real',
      reason: 'text',
      created_at: 'integer',
    },
  },
  optimization_runs: {
    columns: {
      id: 'text',
      status: 'text',
      request: 'json',
      inputs: 'json',
      result: 'json',
      error: 'text',
      submitted_at: 'integer',
      started_at: 'integer',
      finished_at: 'integer',
      heartbeat_at: 'integer',
    },
  },
  model_training_runs: {
    columns: {
      id: 'text',
      status: 'text',
      request: 'json',
      progress: 'json',
      result: 'json',
      error: 'text',
      submitted_at: 'integer',
      started_at: 'integer',
      finished_at: 'integer',
      heartbeat_at: 'integer',
    },
  },
} as const satisfies Record<string, DbTableDefinition>;

export type DbTableName = keyof typeof DB_TABLES;
export type DbColumnName<T extends DbTableName> = keyof (typeof DB_TABLES)[T]['columns'] & string;

const tableDefinitions: Readonly<Record<string, DbTableDefinition>> = DB_TABLES;

/** The whitelisted definition of `table`; throws a DatabaseError naming it when the table is not in the schema. */
export function dbTableDefinition(table: string): DbTableDefinition {
  if (!Object.hasOwn(tableDefinitions, table)) {
    throw new DatabaseError(
      `unknown table "${table}": not in the schema whitelist (known: ${Object.keys(DB_TABLES).join(', ')})`,
    );
  }
  return tableDefinitions[table];
}

/** The kinds of `columns` in `table`, in order; throws a DatabaseError naming the first column that is not in it. */
export function dbColumnKinds(table: string, columns: readonly string[], purpose = 'column'): DbColumnKind[] {
  const definition = dbTableDefinition(table);
  return columns.map((column) => {
    if (!Object.hasOwn(definition.columns, column)) {
      throw new DatabaseError(`unknown ${purpose} "${column}" for table "${table}": not in the schema whitelist`);
    }
    return definition.columns[column];
  });
}
