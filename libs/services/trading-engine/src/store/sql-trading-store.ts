import { ConflictError, type Database, type DatabaseTransaction, type Fill, type SqlValue } from '@rrr/core';
import type { OmsOrder } from '../orders/oms-order';
import type { EquityObservation } from '../portfolio/equity-returns';
import { GroupCommit } from './group-commit';
import {
  ORDER_COLUMNS,
  ORDER_UPDATE_COLUMNS,
  ORDER_UPDATE_TYPES,
  orderUpdateParams,
  pushOrderInsertParams,
  pushOrderUpdateRow,
  rowToFill,
  rowToOrder,
  rowToPosition,
  type FillRow,
  type OrderRow,
  type PositionRow,
} from './order-row';
import type { PortfolioSnapshot } from '../portfolio/portfolio';
import type {
  BalanceWrite,
  FillQuery,
  OrderQuery,
  OrderRejectionRecord,
  PositionWrite,
  StoredTradingState,
  TradingStore,
  TradingStoreChanges,
} from './trading-store';

const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

const UPDATE_ORDER = `UPDATE orders SET ${ORDER_UPDATE_COLUMNS.map((c) => `${c} = ?`).join(', ')} WHERE id = ? AND version = ?`;
/** Rows per multi-row statement: at most 28 parameters each stays far below both drivers' limits. */
const UPDATE_CHUNK = 500;
const FILL_COLUMNS = [
  'id',
  'order_id',
  'symbol',
  'side',
  'quantity',
  'price',
  'fee',
  'fee_currency',
  'liquidity',
  'ts',
];
const insertStatements = new Map<string, string>();

/** INSERT of n rows with positional parameters (no per-row objects: this is the hot path of every batch). */
function multiInsertSql(table: 'orders' | 'fills', columns: readonly string[], n: number): string {
  const key = `${table}:${n}`;
  let sql = insertStatements.get(key);
  if (sql === undefined) {
    const row = `(${columns.map(() => '?').join(', ')})`;
    sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array.from({ length: n }, () => row).join(', ')}`;
    insertStatements.set(key, sql);
  }
  return sql;
}
const updateStatements = new Map<number, string>();

/**
 * One UPDATE for n orders, joined to a VALUES list (columns column1.. in both dialects): id, expected version, then
 * the new values. The first row's casts give PostgreSQL the column types. A row whose version moved matches nothing,
 * so the statement's row count tells whether every expected version held.
 */
function multiUpdateSql(n: number): string {
  let sql = updateStatements.get(n);
  if (sql === undefined) {
    const width = ORDER_UPDATE_COLUMNS.length + 2;
    const first = `(CAST(? AS TEXT), CAST(? AS INTEGER), ${ORDER_UPDATE_COLUMNS.map((c) => `CAST(? AS ${ORDER_UPDATE_TYPES[c]})`).join(', ')})`;
    const rest = `(${Array.from({ length: width }, () => '?').join(', ')})`;
    const values = [first, ...Array.from({ length: n - 1 }, () => rest)].join(', ');
    const set = ORDER_UPDATE_COLUMNS.map((c, i) => `${c} = v.column${i + 3}`).join(', ');
    sql = `UPDATE orders SET ${set} FROM (VALUES ${values}) AS v WHERE orders.id = v.column1 AND orders.version = v.column2`;
    updateStatements.set(n, sql);
  }
  return sql;
}

const UPSERT_POSITION =
  'INSERT INTO positions (symbol, quantity, average_entry_price, realized_pnl, fees_paid, mark_price, opened_at, updated_at) ' +
  'VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (symbol) DO UPDATE SET quantity = excluded.quantity, ' +
  'average_entry_price = excluded.average_entry_price, realized_pnl = excluded.realized_pnl, ' +
  'fees_paid = excluded.fees_paid, mark_price = excluded.mark_price, opened_at = excluded.opened_at, ' +
  'updated_at = excluded.updated_at, version = positions.version + 1';
const UPSERT_BALANCE =
  'INSERT INTO account_balances (currency, amount, updated_at) VALUES (?, ?, ?) ON CONFLICT (currency) DO UPDATE SET ' +
  'amount = excluded.amount, updated_at = excluded.updated_at, version = account_balances.version + 1';
const INSERT_REJECTION =
  'INSERT INTO order_rejections (ts, code, client_order_id, symbol, message, problems, request) VALUES (?, ?, ?, ?, ?, ?, ?)';
const INSERT_SNAPSHOT =
  'INSERT INTO portfolio_snapshots (ts, cash, equity, positions_value, realized_pnl, unrealized_pnl, gross_exposure, ' +
  'net_exposure, leverage, drawdown, positions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
const SELECT_ORDER = `SELECT ${ORDER_COLUMNS.join(', ')} FROM orders`;
const SELECT_FILL =
  'SELECT f.id, f.order_id, f.symbol, f.side, f.quantity, f.price, f.fee, f.fee_currency, f.liquidity, f.ts, ' +
  'o.client_order_id FROM fills f JOIN orders o ON o.id = f.order_id';
const WORKING = `('pending-new', 'accepted', 'partially-filled')`;

/** JSON that keeps what JSON cannot say (NaN, Infinity, undefined) visible in a rejection record. */
function describeRequest(request: unknown): string {
  return (
    JSON.stringify(request, (_key, value: unknown) => {
      if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
      if (typeof value === 'bigint') return `${value}n`;
      return value;
    }) ?? String(request)
  );
}

/**
 * The TradingStore on core's Database (SQLite or PostgreSQL; tables orders, fills, positions, account_balances,
 * order_rejections, portfolio_snapshots). Writes go through a group commit: each change set is applied inside one
 * transaction together with whatever other change sets queued meanwhile, in order, and its promise resolves only
 * after that transaction committed. An order update that finds another version than it expects fails its batch
 * with CONFLICT (optimistic concurrency: two engines must not share one book).
 */
export class SqlTradingStore implements TradingStore {
  private readonly commits: GroupCommit<TradingStoreChanges>;

  constructor(
    private readonly db: Database,
    options: { maxBatch?: number } = {},
  ) {
    this.commits = new GroupCommit((units) => this.db.transaction((tx) => this.apply(tx, units)), options.maxBatch);
  }

  write(changes: TradingStoreChanges): Promise<void> {
    return this.commits.add(changes);
  }

  flush(): Promise<void> {
    return this.commits.idle();
  }

  async loadState(): Promise<StoredTradingState> {
    await this.flush();
    const orders = await this.db.query<OrderRow>(`${SELECT_ORDER} WHERE status IN ${WORKING} ORDER BY created_at, id`);
    const positions = await this.db.query<PositionRow>(
      'SELECT symbol, quantity, average_entry_price, realized_pnl, fees_paid, mark_price, opened_at, updated_at FROM positions ORDER BY symbol',
    );
    const balances = await this.db.query<{ currency: string; amount: number }>(
      'SELECT currency, amount FROM account_balances ORDER BY currency',
    );
    const lastOrder = await this.db.queryOne<{ id: string }>('SELECT MAX(id) AS id FROM orders');
    const lastFill = await this.db.queryOne<{ id: string }>('SELECT MAX(id) AS id FROM fills');
    const marks: Record<string, number> = {};
    for (const p of positions) if (p.mark_price !== null) marks[p.symbol] = p.mark_price;
    return {
      workingOrders: orders.map(rowToOrder),
      positions: positions.map(rowToPosition),
      marks,
      balances: Object.fromEntries(balances.map((b) => [b.currency, b.amount])),
      ...(lastOrder?.id == null ? {} : { lastOrderId: lastOrder.id }),
      ...(lastFill?.id == null ? {} : { lastFillId: lastFill.id }),
    };
  }

  /** Committed state only: the engine asks after looking in its own memory, which holds anything not yet committed. */
  async getOrder(id: string): Promise<OmsOrder | undefined> {
    const row = await this.db.queryOne<OrderRow>(`${SELECT_ORDER} WHERE id = ?`, [id]);
    return row === undefined ? undefined : rowToOrder(row);
  }

  async findOrderByClientOrderId(clientOrderId: string): Promise<OmsOrder | undefined> {
    const row = await this.db.queryOne<OrderRow>(`${SELECT_ORDER} WHERE client_order_id = ?`, [clientOrderId]);
    return row === undefined ? undefined : rowToOrder(row);
  }

  async listOrders(query: OrderQuery = {}): Promise<OmsOrder[]> {
    await this.flush();
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (query.symbol !== undefined) {
      where.push('symbol = ?');
      params.push(query.symbol);
    }
    if (query.status !== undefined) {
      const statuses = typeof query.status === 'string' ? [query.status] : [...query.status];
      where.push(`status IN (${placeholders(statuses.length)})`);
      params.push(...statuses);
    }
    if (query.since !== undefined) {
      where.push('created_at >= ?');
      params.push(query.since);
    }
    params.push(query.limit ?? 1_000);
    const rows = await this.db.query<OrderRow>(
      `${SELECT_ORDER}${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${query.newestFirst === true ? 'created_at DESC, id DESC' : 'created_at, id'} LIMIT ?`,
      params,
    );
    return rows.map(rowToOrder);
  }

  async listFills(query: FillQuery = {}): Promise<Fill[]> {
    await this.flush();
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (query.orderId !== undefined) {
      where.push('f.order_id = ?');
      params.push(query.orderId);
    }
    if (query.symbol !== undefined) {
      where.push('f.symbol = ?');
      params.push(query.symbol);
    }
    params.push(query.limit ?? 10_000);
    const rows = await this.db.query<FillRow>(
      `${SELECT_FILL}${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${query.newestFirst === true ? 'f.id DESC' : 'f.id'} LIMIT ?`,
      params,
    );
    return rows.map(rowToFill);
  }

  async listRejections(limit = 1_000): Promise<OrderRejectionRecord[]> {
    await this.flush();
    const rows = await this.db.query<{
      ts: number;
      code: string;
      client_order_id: string | null;
      symbol: string | null;
      message: string;
      problems: string;
      request: string | null;
    }>(
      'SELECT ts, code, client_order_id, symbol, message, problems, request FROM order_rejections ORDER BY id LIMIT ?',
      [limit],
    );
    return rows.map((r) => ({
      ts: Number(r.ts),
      code: r.code,
      ...(r.client_order_id === null ? {} : { clientOrderId: r.client_order_id }),
      ...(r.symbol === null ? {} : { symbol: r.symbol }),
      message: r.message,
      problems: JSON.parse(r.problems) as OrderRejectionRecord['problems'],
      request: r.request === null ? null : (JSON.parse(r.request) as unknown),
    }));
  }

  async loadEquityHistory(since: number): Promise<EquityObservation[]> {
    await this.flush();
    const rows = await this.db.query<{ ts: number; equity: number }>(
      'SELECT ts, equity FROM portfolio_snapshots WHERE ts >= ? ORDER BY ts, id',
      [since],
    );
    return rows.map((r) => ({ ts: Number(r.ts), equity: r.equity }));
  }

  /**
   * One batch in one transaction, coalesced: an order written several times in the batch is written once in its
   * final state (inserted so if the batch inserts it, else updated from the version the first write expected), and a
   * position or balance once with its last value. Nothing between those states was acknowledged, so nothing is lost;
   * the checks are the same (a broken version chain is CONFLICT). Order rows go first (fills reference them, exits
   * their entry), then fills, positions, balances, rejections, snapshots.
   */
  private async apply(tx: DatabaseTransaction, units: TradingStoreChanges[]): Promise<void> {
    const orders = new Map<string, { order: OmsOrder; expectedVersion: number | null }>();
    const fills: Fill[] = [];
    const positions = new Map<string, PositionWrite>();
    const balances = new Map<string, BalanceWrite>();
    const rejections: OrderRejectionRecord[] = [];
    const snapshots: PortfolioSnapshot[] = [];
    for (const changes of units) {
      for (const write of changes.orders ?? []) {
        const earlier = orders.get(write.order.id);
        if (earlier === undefined) {
          orders.set(write.order.id, { ...write });
          continue;
        }
        if (write.expectedVersion !== earlier.order.version) {
          throw new ConflictError(
            `order ${write.order.id} changed underneath this engine: expected version ${write.expectedVersion}`,
            { orderId: write.order.id, expectedVersion: write.expectedVersion },
          );
        }
        earlier.order = write.order;
      }
      if (changes.fills !== undefined) fills.push(...changes.fills);
      for (const p of changes.positions ?? []) positions.set(p.position.symbol, p);
      for (const b of changes.balances ?? []) balances.set(b.currency, b);
      if (changes.rejections !== undefined) rejections.push(...changes.rejections);
      if (changes.snapshots !== undefined) snapshots.push(...changes.snapshots);
    }

    const inserts = [...orders.values()].filter((w) => w.expectedVersion === null).map((w) => w.order);
    for (let start = 0; start < inserts.length; start += UPDATE_CHUNK) {
      const chunk = inserts.slice(start, start + UPDATE_CHUNK);
      const params: SqlValue[] = [];
      for (const order of chunk) pushOrderInsertParams(params, order);
      await tx.execute(multiInsertSql('orders', ORDER_COLUMNS, chunk.length), params);
    }
    const updates = [...orders.values()].filter(
      (w): w is { order: OmsOrder; expectedVersion: number } => w.expectedVersion !== null,
    );
    for (let start = 0; start < updates.length; start += UPDATE_CHUNK) {
      const chunk = updates.slice(start, start + UPDATE_CHUNK);
      const { rowCount } =
        chunk.length === 1
          ? await tx.execute(UPDATE_ORDER, orderUpdateParams(chunk[0].order, chunk[0].expectedVersion))
          : await tx.execute(multiUpdateSql(chunk.length), updateRows(chunk));
      if (rowCount !== chunk.length) {
        const ids = chunk.map((w) => w.order.id);
        throw new ConflictError(
          `${chunk.length - rowCount} of ${chunk.length} orders changed underneath this engine (expected versions ` +
            `no longer stored): ${ids.length === 1 ? ids[0] : `one of ${ids.slice(0, 5).join(', ')}${ids.length > 5 ? '…' : ''}`}`,
          { orderIds: ids },
        );
      }
    }
    for (let start = 0; start < fills.length; start += UPDATE_CHUNK) {
      const chunk = fills.slice(start, start + UPDATE_CHUNK);
      const params: SqlValue[] = [];
      for (const fill of chunk) params.push(...fillParams(fill));
      await tx.execute(multiInsertSql('fills', FILL_COLUMNS, chunk.length), params);
    }
    for (const { position: p, markPrice } of positions.values()) {
      await tx.execute(UPSERT_POSITION, [
        p.symbol,
        p.quantity,
        p.averagePrice,
        p.realizedPnl,
        p.feesPaid,
        markPrice,
        p.openedAt,
        p.updatedAt,
      ]);
    }
    for (const b of balances.values()) await tx.execute(UPSERT_BALANCE, [b.currency, b.amount, b.ts]);
    for (const r of rejections) {
      await tx.execute(INSERT_REJECTION, [
        r.ts,
        r.code,
        r.clientOrderId,
        r.symbol,
        r.message,
        JSON.stringify(r.problems),
        describeRequest(r.request),
      ]);
    }
    for (const s of snapshots) {
      await tx.execute(INSERT_SNAPSHOT, [
        s.ts,
        s.cash,
        s.equity,
        s.positionsValue,
        s.realizedPnl,
        s.unrealizedPnl,
        s.grossExposure,
        s.netExposure,
        s.leverage,
        s.drawdown,
        JSON.stringify(s.positions),
      ]);
    }
  }
}

function updateRows(chunk: ReadonlyArray<{ order: OmsOrder; expectedVersion: number }>): SqlValue[] {
  const params: SqlValue[] = [];
  for (const w of chunk) pushOrderUpdateRow(params, w.order, w.expectedVersion);
  return params;
}

function fillParams(f: Fill): SqlValue[] {
  return [f.id, f.orderId, f.symbol, f.side, f.quantity, f.price, f.fee, f.feeCurrency, f.liquidity, f.ts];
}
