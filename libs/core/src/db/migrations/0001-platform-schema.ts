import type { Migration } from './migration';

/*
 * Frozen once released (its checksum is recorded): change the schema with a new migration, never by editing this.
 * Conventions: times are epoch milliseconds (INTEGER / BIGINT); money, prices and quantities are REAL / DOUBLE
 * PRECISION; booleans are 0/1 integers in both dialects so rows read back identically; JSON is TEXT. Enumerations
 * (side, status, …) are validated by the domain layer, which owns their spelling; the schema checks only invariants
 * that hold whatever the spelling. SQLite tables are STRICT so a wrong type fails as it would on PostgreSQL.
 */

const sqlite: readonly string[] = [
  `CREATE TABLE symbols (
    symbol TEXT PRIMARY KEY,
    asset_class TEXT NOT NULL,
    exchange TEXT,
    base_asset TEXT,
    quote_asset TEXT,
    tick_size REAL,
    lot_size REAL,
    min_quantity REAL,
    min_notional REAL,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    metadata TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  ) STRICT`,

  // No foreign key to symbols: market data for a symbol may arrive before (or without) its reference data.
  // WITHOUT ROWID clusters the table on its unique key (symbol, interval, ts): a series' range read is one
  // contiguous scan, and an insert updates one B-tree instead of a rowid table plus a separate unique index.
  `CREATE TABLE bars (
    symbol TEXT NOT NULL,
    interval TEXT NOT NULL,
    ts INTEGER NOT NULL,
    open REAL NOT NULL,
    high REAL NOT NULL,
    low REAL NOT NULL,
    close REAL NOT NULL,
    volume REAL NOT NULL,
    vwap REAL,
    trades INTEGER,
    CONSTRAINT bars_pkey PRIMARY KEY (symbol, interval, ts)
  ) STRICT, WITHOUT ROWID`,
  // The key serves one series' range reads (symbol, interval, ts BETWEEN); this index serves cross-sectional
  // reads of every symbol over a time range (universe backtests, gap reports).
  `CREATE INDEX bars_interval_ts_idx ON bars (interval, ts)`,

  `CREATE TABLE orders (
    id TEXT PRIMARY KEY,
    client_order_id TEXT NOT NULL CONSTRAINT orders_client_order_id_key UNIQUE,
    exchange_order_id TEXT,
    strategy_id TEXT,
    venue TEXT,
    symbol TEXT NOT NULL,
    side TEXT NOT NULL,
    type TEXT NOT NULL,
    time_in_force TEXT NOT NULL,
    quantity REAL NOT NULL CHECK (quantity > 0),
    price REAL,
    stop_price REAL,
    trailing_percent REAL,
    trailing_amount REAL,
    reduce_only INTEGER NOT NULL DEFAULT 0 CHECK (reduce_only IN (0, 1)),
    parent_id TEXT REFERENCES orders (id),
    bracket_role TEXT,
    status TEXT NOT NULL,
    filled_quantity REAL NOT NULL DEFAULT 0 CHECK (filled_quantity >= 0),
    average_fill_price REAL,
    reject_reason TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
  ) STRICT`,
  `CREATE UNIQUE INDEX orders_venue_exchange_order_id_key ON orders (venue, exchange_order_id)`,
  `CREATE INDEX orders_symbol_created_at_idx ON orders (symbol, created_at)`,
  `CREATE INDEX orders_status_idx ON orders (status)`,
  `CREATE INDEX orders_parent_id_idx ON orders (parent_id)`,

  `CREATE TABLE fills (
    id TEXT PRIMARY KEY,
    order_id TEXT NOT NULL REFERENCES orders (id),
    symbol TEXT NOT NULL,
    side TEXT NOT NULL,
    quantity REAL NOT NULL CHECK (quantity > 0),
    price REAL NOT NULL CHECK (price > 0),
    fee REAL NOT NULL DEFAULT 0,
    fee_currency TEXT,
    liquidity TEXT,
    ts INTEGER NOT NULL
  ) STRICT`,
  `CREATE INDEX fills_order_id_idx ON fills (order_id)`,
  `CREATE INDEX fills_symbol_ts_idx ON fills (symbol, ts)`,

  // Signed quantity: positive long, negative short; a flat position keeps its row (realized P&L history).
  `CREATE TABLE positions (
    symbol TEXT PRIMARY KEY,
    quantity REAL NOT NULL,
    average_entry_price REAL NOT NULL DEFAULT 0,
    realized_pnl REAL NOT NULL DEFAULT 0,
    fees_paid REAL NOT NULL DEFAULT 0,
    mark_price REAL,
    opened_at INTEGER,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
  ) STRICT`,

  `CREATE TABLE portfolio_snapshots (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ts INTEGER NOT NULL,
    cash REAL NOT NULL,
    equity REAL NOT NULL,
    positions_value REAL NOT NULL,
    realized_pnl REAL NOT NULL DEFAULT 0,
    unrealized_pnl REAL NOT NULL DEFAULT 0,
    gross_exposure REAL NOT NULL DEFAULT 0,
    net_exposure REAL NOT NULL DEFAULT 0,
    leverage REAL NOT NULL DEFAULT 0,
    drawdown REAL NOT NULL DEFAULT 0,
    positions TEXT NOT NULL DEFAULT '[]'
  ) STRICT`,
  `CREATE INDEX portfolio_snapshots_ts_idx ON portfolio_snapshots (ts)`,

  // order_id is not a foreign key: a pre-trade rejection concerns an order that was never persisted.
  `CREATE TABLE risk_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ts INTEGER NOT NULL,
    rule TEXT NOT NULL,
    severity TEXT NOT NULL,
    symbol TEXT,
    order_id TEXT,
    message TEXT NOT NULL,
    observed_value REAL,
    limit_value REAL,
    details TEXT
  ) STRICT`,
  `CREATE INDEX risk_events_ts_idx ON risk_events (ts)`,
  `CREATE INDEX risk_events_rule_ts_idx ON risk_events (rule, ts)`,

  `CREATE TABLE ml_models (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    version INTEGER NOT NULL,
    kind TEXT NOT NULL,
    symbol TEXT,
    interval TEXT,
    horizon_ms INTEGER,
    features TEXT NOT NULL DEFAULT '[]',
    hyperparameters TEXT NOT NULL DEFAULT '{}',
    metrics TEXT NOT NULL DEFAULT '{}',
    artifact_uri TEXT,
    status TEXT NOT NULL,
    trained_from INTEGER,
    trained_to INTEGER,
    created_at INTEGER NOT NULL,
    CONSTRAINT ml_models_name_version_key UNIQUE (name, version)
  ) STRICT`,

  `CREATE TABLE predictions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    model_id INTEGER NOT NULL REFERENCES ml_models (id) ON DELETE CASCADE,
    symbol TEXT NOT NULL,
    interval TEXT NOT NULL,
    ts INTEGER NOT NULL,
    label TEXT,
    probabilities TEXT,
    predicted_return REAL,
    confidence REAL,
    created_at INTEGER NOT NULL,
    CONSTRAINT predictions_model_series_ts_key UNIQUE (model_id, symbol, interval, ts)
  ) STRICT`,
  `CREATE INDEX predictions_symbol_interval_ts_idx ON predictions (symbol, interval, ts)`,

  `CREATE TABLE backtest_runs (
    id TEXT PRIMARY KEY,
    name TEXT,
    strategy TEXT NOT NULL,
    parameters TEXT NOT NULL DEFAULT '{}',
    symbols TEXT NOT NULL DEFAULT '[]',
    interval TEXT NOT NULL,
    start_ts INTEGER NOT NULL,
    end_ts INTEGER NOT NULL,
    initial_capital REAL NOT NULL,
    final_equity REAL,
    metrics TEXT,
    status TEXT NOT NULL,
    error TEXT,
    created_at INTEGER NOT NULL,
    finished_at INTEGER
  ) STRICT`,
  `CREATE INDEX backtest_runs_strategy_created_at_idx ON backtest_runs (strategy, created_at)`,

  // One round trip per row (entry and, once closed, exit), which is what win rate and P&L metrics count.
  `CREATE TABLE backtest_trades (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id TEXT NOT NULL REFERENCES backtest_runs (id) ON DELETE CASCADE,
    symbol TEXT NOT NULL,
    side TEXT NOT NULL,
    quantity REAL NOT NULL,
    entry_ts INTEGER NOT NULL,
    entry_price REAL NOT NULL,
    exit_ts INTEGER,
    exit_price REAL,
    pnl REAL,
    return_pct REAL,
    fees REAL NOT NULL DEFAULT 0,
    exit_reason TEXT
  ) STRICT`,
  `CREATE INDEX backtest_trades_run_id_entry_ts_idx ON backtest_trades (run_id, entry_ts)`,

  // Hash chain: hash = H(prev_hash, seq, ts, actor, action, payload); the writer may assign seq itself so the
  // hash can cover it (AUTOINCREMENT never reuses a number, even after a delete).
  `CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    ts INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    payload TEXT NOT NULL,
    prev_hash TEXT,
    hash TEXT NOT NULL CONSTRAINT audit_log_hash_key UNIQUE
  ) STRICT`,
  `CREATE INDEX audit_log_ts_idx ON audit_log (ts)`,

  `CREATE TABLE system_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ts INTEGER NOT NULL,
    service TEXT NOT NULL,
    level TEXT NOT NULL,
    type TEXT NOT NULL,
    message TEXT NOT NULL,
    details TEXT
  ) STRICT`,
  `CREATE INDEX system_events_ts_idx ON system_events (ts)`,
  `CREATE INDEX system_events_service_ts_idx ON system_events (service, ts)`,

  // cursor is opaque to the database (a timestamp, a vendor page token…): the job that writes it reads it.
  `CREATE TABLE backfill_checkpoints (
    job_id TEXT PRIMARY KEY,
    cursor TEXT,
    rows_written INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL
  ) STRICT`,
];

const postgres: readonly string[] = [
  `CREATE TABLE symbols (
    symbol TEXT PRIMARY KEY,
    asset_class TEXT NOT NULL,
    exchange TEXT,
    base_asset TEXT,
    quote_asset TEXT,
    tick_size DOUBLE PRECISION,
    lot_size DOUBLE PRECISION,
    min_quantity DOUBLE PRECISION,
    min_notional DOUBLE PRECISION,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    metadata TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
  )`,

  `CREATE TABLE bars (
    symbol TEXT NOT NULL,
    interval TEXT NOT NULL,
    ts BIGINT NOT NULL,
    open DOUBLE PRECISION NOT NULL,
    high DOUBLE PRECISION NOT NULL,
    low DOUBLE PRECISION NOT NULL,
    close DOUBLE PRECISION NOT NULL,
    volume DOUBLE PRECISION NOT NULL,
    vwap DOUBLE PRECISION,
    trades BIGINT,
    CONSTRAINT bars_pkey PRIMARY KEY (symbol, interval, ts)
  )`,
  `CREATE INDEX bars_interval_ts_idx ON bars (interval, ts)`,

  `CREATE TABLE orders (
    id TEXT PRIMARY KEY,
    client_order_id TEXT NOT NULL CONSTRAINT orders_client_order_id_key UNIQUE,
    exchange_order_id TEXT,
    strategy_id TEXT,
    venue TEXT,
    symbol TEXT NOT NULL,
    side TEXT NOT NULL,
    type TEXT NOT NULL,
    time_in_force TEXT NOT NULL,
    quantity DOUBLE PRECISION NOT NULL CHECK (quantity > 0),
    price DOUBLE PRECISION,
    stop_price DOUBLE PRECISION,
    trailing_percent DOUBLE PRECISION,
    trailing_amount DOUBLE PRECISION,
    reduce_only INTEGER NOT NULL DEFAULT 0 CHECK (reduce_only IN (0, 1)),
    parent_id TEXT REFERENCES orders (id),
    bracket_role TEXT,
    status TEXT NOT NULL,
    filled_quantity DOUBLE PRECISION NOT NULL DEFAULT 0 CHECK (filled_quantity >= 0),
    average_fill_price DOUBLE PRECISION,
    reject_reason TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
  )`,
  `CREATE UNIQUE INDEX orders_venue_exchange_order_id_key ON orders (venue, exchange_order_id)`,
  `CREATE INDEX orders_symbol_created_at_idx ON orders (symbol, created_at)`,
  `CREATE INDEX orders_status_idx ON orders (status)`,
  `CREATE INDEX orders_parent_id_idx ON orders (parent_id)`,

  `CREATE TABLE fills (
    id TEXT PRIMARY KEY,
    order_id TEXT NOT NULL REFERENCES orders (id),
    symbol TEXT NOT NULL,
    side TEXT NOT NULL,
    quantity DOUBLE PRECISION NOT NULL CHECK (quantity > 0),
    price DOUBLE PRECISION NOT NULL CHECK (price > 0),
    fee DOUBLE PRECISION NOT NULL DEFAULT 0,
    fee_currency TEXT,
    liquidity TEXT,
    ts BIGINT NOT NULL
  )`,
  `CREATE INDEX fills_order_id_idx ON fills (order_id)`,
  `CREATE INDEX fills_symbol_ts_idx ON fills (symbol, ts)`,

  `CREATE TABLE positions (
    symbol TEXT PRIMARY KEY,
    quantity DOUBLE PRECISION NOT NULL,
    average_entry_price DOUBLE PRECISION NOT NULL DEFAULT 0,
    realized_pnl DOUBLE PRECISION NOT NULL DEFAULT 0,
    fees_paid DOUBLE PRECISION NOT NULL DEFAULT 0,
    mark_price DOUBLE PRECISION,
    opened_at BIGINT,
    updated_at BIGINT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
  )`,

  `CREATE TABLE portfolio_snapshots (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    ts BIGINT NOT NULL,
    cash DOUBLE PRECISION NOT NULL,
    equity DOUBLE PRECISION NOT NULL,
    positions_value DOUBLE PRECISION NOT NULL,
    realized_pnl DOUBLE PRECISION NOT NULL DEFAULT 0,
    unrealized_pnl DOUBLE PRECISION NOT NULL DEFAULT 0,
    gross_exposure DOUBLE PRECISION NOT NULL DEFAULT 0,
    net_exposure DOUBLE PRECISION NOT NULL DEFAULT 0,
    leverage DOUBLE PRECISION NOT NULL DEFAULT 0,
    drawdown DOUBLE PRECISION NOT NULL DEFAULT 0,
    positions TEXT NOT NULL DEFAULT '[]'
  )`,
  `CREATE INDEX portfolio_snapshots_ts_idx ON portfolio_snapshots (ts)`,

  `CREATE TABLE risk_events (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    ts BIGINT NOT NULL,
    rule TEXT NOT NULL,
    severity TEXT NOT NULL,
    symbol TEXT,
    order_id TEXT,
    message TEXT NOT NULL,
    observed_value DOUBLE PRECISION,
    limit_value DOUBLE PRECISION,
    details TEXT
  )`,
  `CREATE INDEX risk_events_ts_idx ON risk_events (ts)`,
  `CREATE INDEX risk_events_rule_ts_idx ON risk_events (rule, ts)`,

  `CREATE TABLE ml_models (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL,
    version INTEGER NOT NULL,
    kind TEXT NOT NULL,
    symbol TEXT,
    interval TEXT,
    horizon_ms BIGINT,
    features TEXT NOT NULL DEFAULT '[]',
    hyperparameters TEXT NOT NULL DEFAULT '{}',
    metrics TEXT NOT NULL DEFAULT '{}',
    artifact_uri TEXT,
    status TEXT NOT NULL,
    trained_from BIGINT,
    trained_to BIGINT,
    created_at BIGINT NOT NULL,
    CONSTRAINT ml_models_name_version_key UNIQUE (name, version)
  )`,

  `CREATE TABLE predictions (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    model_id BIGINT NOT NULL REFERENCES ml_models (id) ON DELETE CASCADE,
    symbol TEXT NOT NULL,
    interval TEXT NOT NULL,
    ts BIGINT NOT NULL,
    label TEXT,
    probabilities TEXT,
    predicted_return DOUBLE PRECISION,
    confidence DOUBLE PRECISION,
    created_at BIGINT NOT NULL,
    CONSTRAINT predictions_model_series_ts_key UNIQUE (model_id, symbol, interval, ts)
  )`,
  `CREATE INDEX predictions_symbol_interval_ts_idx ON predictions (symbol, interval, ts)`,

  `CREATE TABLE backtest_runs (
    id TEXT PRIMARY KEY,
    name TEXT,
    strategy TEXT NOT NULL,
    parameters TEXT NOT NULL DEFAULT '{}',
    symbols TEXT NOT NULL DEFAULT '[]',
    interval TEXT NOT NULL,
    start_ts BIGINT NOT NULL,
    end_ts BIGINT NOT NULL,
    initial_capital DOUBLE PRECISION NOT NULL,
    final_equity DOUBLE PRECISION,
    metrics TEXT,
    status TEXT NOT NULL,
    error TEXT,
    created_at BIGINT NOT NULL,
    finished_at BIGINT
  )`,
  `CREATE INDEX backtest_runs_strategy_created_at_idx ON backtest_runs (strategy, created_at)`,

  `CREATE TABLE backtest_trades (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    run_id TEXT NOT NULL REFERENCES backtest_runs (id) ON DELETE CASCADE,
    symbol TEXT NOT NULL,
    side TEXT NOT NULL,
    quantity DOUBLE PRECISION NOT NULL,
    entry_ts BIGINT NOT NULL,
    entry_price DOUBLE PRECISION NOT NULL,
    exit_ts BIGINT,
    exit_price DOUBLE PRECISION,
    pnl DOUBLE PRECISION,
    return_pct DOUBLE PRECISION,
    fees DOUBLE PRECISION NOT NULL DEFAULT 0,
    exit_reason TEXT
  )`,
  `CREATE INDEX backtest_trades_run_id_entry_ts_idx ON backtest_trades (run_id, entry_ts)`,

  // An identity column hands out numbers from its sequence, which explicit seq values do not advance: a writer
  // that assigns seq itself must always do so.
  `CREATE TABLE audit_log (
    seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    ts BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    payload TEXT NOT NULL,
    prev_hash TEXT,
    hash TEXT NOT NULL CONSTRAINT audit_log_hash_key UNIQUE
  )`,
  `CREATE INDEX audit_log_ts_idx ON audit_log (ts)`,

  `CREATE TABLE system_events (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    ts BIGINT NOT NULL,
    service TEXT NOT NULL,
    level TEXT NOT NULL,
    type TEXT NOT NULL,
    message TEXT NOT NULL,
    details TEXT
  )`,
  `CREATE INDEX system_events_ts_idx ON system_events (ts)`,
  `CREATE INDEX system_events_service_ts_idx ON system_events (service, ts)`,

  `CREATE TABLE backfill_checkpoints (
    job_id TEXT PRIMARY KEY,
    cursor TEXT,
    rows_written BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL
  )`,
];

export const platformSchemaMigration: Migration = {
  version: 1,
  name: 'platform-schema',
  statements: { sqlite, postgres },
};
