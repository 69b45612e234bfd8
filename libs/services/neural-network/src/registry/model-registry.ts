import { rm } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import {
  ConflictError,
  isUniqueViolation,
  MODEL_ID_PATTERN,
  NotFoundError,
  systemClock,
  ValidationError,
  type Clock,
  type Database,
  type DatabaseSession,
} from '@rrr/core';
import { horizonMsOf } from '../features/labels';
import { MODEL_JSON_FILE } from '../models/file-model-handler';
import { ModelArtifactError } from '../models/model-artifact-error';
import type { PredictorKind } from '../models/predictor';
import { loadTrainedModel, saveTrainedModel, type TrainedModel } from '../models/trained-model';
import type { TfBackendName } from '../models/tf-backend';

/** 'trained': registered, not served; 'active': served live for its symbol/interval/horizon; 'retired': kept for the record. */
export const MODEL_STATUSES = ['trained', 'active', 'retired'] as const;
export type ModelStatus = (typeof MODEL_STATUSES)[number];

/** One row of ml_models, decoded. */
export interface RegisteredModel {
  /** ml_models.id, the key predictions reference. */
  id: number;
  name: string;
  version: number;
  /** `name@version`. */
  modelId: string;
  kind: PredictorKind;
  symbol: string;
  interval: string;
  horizonMs: number;
  /** Feature names, in column order. */
  features: string[];
  hyperparameters: Record<string, unknown>;
  metrics: Record<string, unknown>;
  /** Directory of model.json + weights.bin, relative to the models directory. */
  artifactUri: string;
  status: ModelStatus;
  trainedFrom: number;
  trainedTo: number;
  createdAt: number;
}

export interface ModelRegistryDeps {
  db: Database;
  /** Where model files live: `<modelsDir>/<name>/v<version>/{model.json,weights.bin}`. */
  modelsDir: string;
  clock?: Clock;
}

export interface RegisterModelInput {
  name: string;
  /** The trained model; its metadata name/version are replaced by the registry's. */
  model: TrainedModel;
  hyperparameters: Record<string, unknown>;
  metrics: Record<string, unknown>;
  /** Make it the served model for its symbol/interval/horizon (others there become 'trained'). */
  activate?: boolean;
}

/** What identifies a served model: its row, its id and the series it predicts. */
export interface ActiveModelRef {
  id: number;
  /** `name@version`. */
  modelId: string;
  symbol: string;
  interval: string;
  horizonMs: number;
}

export interface ModelListFilter {
  name?: string;
  symbol?: string;
  kind?: PredictorKind;
  status?: ModelStatus;
}

interface MlModelRow {
  id: number;
  name: string;
  version: number;
  kind: string;
  symbol: string | null;
  interval: string | null;
  horizon_ms: number | null;
  features: string;
  hyperparameters: string;
  metrics: string;
  artifact_uri: string | null;
  status: string;
  trained_from: number | null;
  trained_to: number | null;
  created_at: number;
}

/** A registry name: 1-63 of a-z, 0-9, ".", "_", "-", starting with a letter or digit (it names a folder). */
export const MODEL_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/;
export const MODEL_NAME_EXPECTATION = 'must be 1-63 of a-z, 0-9, ".", "_", "-", starting with a letter or digit';

function parseJson<T>(text: unknown, fallback: T): T {
  if (typeof text !== 'string') return (text as T) ?? fallback;
  return JSON.parse(text) as T;
}

function decode(row: MlModelRow): RegisteredModel {
  return {
    id: Number(row.id),
    name: row.name,
    version: row.version,
    modelId: `${row.name}@${row.version}`,
    kind: row.kind as PredictorKind,
    symbol: row.symbol ?? '',
    interval: row.interval ?? '',
    horizonMs: row.horizon_ms ?? 0,
    features: parseJson(row.features, []),
    hyperparameters: parseJson(row.hyperparameters, {}),
    metrics: parseJson(row.metrics, {}),
    artifactUri: row.artifact_uri ?? '',
    status: row.status as ModelStatus,
    trainedFrom: row.trained_from ?? 0,
    trainedTo: row.trained_to ?? 0,
    createdAt: row.created_at,
  };
}

/** `name@version` → both parts; a bare `name` → the name and undefined (meaning the latest version). */
export function parseModelRef(ref: string): { name: string; version?: number } {
  const at = ref.lastIndexOf('@');
  if (at < 0) return { name: ref };
  const version = Number(ref.slice(at + 1));
  if (!Number.isInteger(version) || version < 1 || !MODEL_ID_PATTERN.test(ref)) {
    throw new ValidationError('model reference', [
      { field: 'model', message: 'must be name or name@version with an integer version ≥ 1', value: ref },
    ]);
  }
  return { name: ref.slice(0, at), version };
}

/** A safe default name: `spx-lstm-1d` from symbol SPX, kind lstm, horizon 1d. */
export function defaultModelName(symbol: string, kind: PredictorKind, horizon: string): string {
  return `${symbol}-${kind}-${horizon}`.toLowerCase().replace(/[^a-z0-9._-]+/g, '-');
}

const COLUMNS =
  'id, name, version, kind, symbol, interval, horizon_ms, features, hyperparameters, metrics, artifact_uri, status, trained_from, trained_to, created_at';

/**
 * Model versions in the ml_models table (hyperparameters, metrics, status) and their weights on disk through the
 * rrr model files. Versions count up per name from 1.
 */
export class ModelRegistry {
  private readonly db: Database;
  private readonly clock: Clock;
  readonly modelsDir: string;

  constructor(deps: ModelRegistryDeps) {
    this.db = deps.db;
    this.clock = deps.clock ?? systemClock;
    this.modelsDir = resolve(deps.modelsDir);
  }

  /** Absolute directory of a registered model's files. */
  artifactDir(model: Pick<RegisteredModel, 'artifactUri'>): string {
    return isAbsolute(model.artifactUri) ? model.artifactUri : join(this.modelsDir, model.artifactUri);
  }

  /**
   * Assigns the next version of `input.name`, writes the model files, then the ml_models row (and activates it when
   * asked), all in one transaction: a failed insert removes the files it wrote.
   */
  async register(input: RegisterModelInput): Promise<RegisteredModel> {
    if (!MODEL_NAME_PATTERN.test(input.name)) {
      throw new ValidationError('model', [{ field: 'name', message: MODEL_NAME_EXPECTATION, value: input.name }]);
    }
    const { model } = input;
    const meta = model.metadata;
    return this.db.transaction(async (tx) => {
      const latest = await tx.queryOne<{ version: number | null }>(
        'SELECT MAX(version) AS version FROM ml_models WHERE name = ?',
        [input.name],
      );
      const version = (latest?.version ?? 0) + 1;
      const artifactUri = `${input.name}/v${version}`;
      const dir = join(this.modelsDir, artifactUri);
      await saveTrainedModel(
        { ...model, id: `${input.name}@${version}`, metadata: { ...meta, name: input.name, version } },
        dir,
      );
      try {
        if (input.activate === true)
          await this.deactivateSeries(tx, meta.symbol, meta.label.interval, horizonMsOf(meta.label));
        await tx.insertMany('ml_models', [
          {
            name: input.name,
            version,
            kind: model.predictor.kind,
            symbol: meta.symbol,
            interval: meta.label.interval,
            horizon_ms: horizonMsOf(meta.label),
            features: [...(meta.features ?? meta.featureSet.names)],
            hyperparameters: input.hyperparameters,
            metrics: input.metrics,
            artifact_uri: artifactUri,
            status: input.activate === true ? 'active' : 'trained',
            trained_from: meta.trainedFrom,
            trained_to: meta.trainedTo,
            created_at: this.clock.now(),
          },
        ]);
      } catch (err) {
        await rm(dir, { recursive: true, force: true });
        if (isUniqueViolation(err))
          throw new ConflictError(`model ${input.name}@${version} was registered concurrently; retry`, {
            name: input.name,
            version,
          });
        throw err;
      }
      const row = await tx.queryOne<MlModelRow>(`SELECT ${COLUMNS} FROM ml_models WHERE name = ? AND version = ?`, [
        input.name,
        version,
      ]);
      return decode(row as MlModelRow);
    });
  }

  private async deactivateSeries(
    tx: DatabaseSession,
    symbol: string,
    interval: string,
    horizonMs: number,
  ): Promise<void> {
    await tx.execute(
      `UPDATE ml_models SET status = 'trained' WHERE status = 'active' AND symbol = ? AND interval = ? AND horizon_ms = ?`,
      [symbol, interval, horizonMs],
    );
  }

  async list(filter: ModelListFilter = {}): Promise<RegisteredModel[]> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    for (const [column, value] of [
      ['name', filter.name],
      ['symbol', filter.symbol],
      ['kind', filter.kind],
      ['status', filter.status],
    ] as const) {
      if (value !== undefined) {
        where.push(`${column} = ?`);
        params.push(value);
      }
    }
    const sql = `SELECT ${COLUMNS} FROM ml_models${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY name, version`;
    return (await this.db.query<MlModelRow>(sql, params)).map(decode);
  }

  /**
   * The active versions, one per symbol/interval/horizon, without their JSON columns: the live service compares them
   * with what it serves at every check, so the read stays as small as the set it describes.
   */
  async activeModels(): Promise<ActiveModelRef[]> {
    const rows = await this.db.query<
      Pick<MlModelRow, 'id' | 'name' | 'version' | 'symbol' | 'interval' | 'horizon_ms'>
    >(`SELECT id, name, version, symbol, interval, horizon_ms FROM ml_models WHERE status = 'active' ORDER BY id`);
    return rows.map((row) => ({
      id: Number(row.id),
      modelId: `${row.name}@${row.version}`,
      symbol: row.symbol ?? '',
      interval: row.interval ?? '',
      horizonMs: row.horizon_ms ?? 0,
    }));
  }

  /** `name@version`, or `name` for its latest version. */
  async get(ref: string): Promise<RegisteredModel> {
    const { name, version } = parseModelRef(ref);
    const row =
      version === undefined
        ? await this.db.queryOne<MlModelRow>(
            `SELECT ${COLUMNS} FROM ml_models WHERE name = ? ORDER BY version DESC LIMIT 1`,
            [name],
          )
        : await this.db.queryOne<MlModelRow>(`SELECT ${COLUMNS} FROM ml_models WHERE name = ? AND version = ?`, [
            name,
            version,
          ]);
    if (row === undefined) throw new NotFoundError('model', ref);
    return decode(row);
  }

  /** The registered model and its weights, checked against the row (name, version) and this build's feature set. */
  async load(
    ref: string | RegisteredModel,
    options: { backend?: TfBackendName } = {},
  ): Promise<{ record: RegisteredModel; model: TrainedModel }> {
    const record = typeof ref === 'string' ? await this.get(ref) : ref;
    const model = await loadTrainedModel(this.artifactDir(record), {
      name: record.name,
      version: record.version,
      backend: options.backend,
    });
    const fileFeatures = model.metadata.features ?? [];
    if (record.features.length > 0 && record.features.join(',') !== fileFeatures.join(',')) {
      model.predictor.dispose();
      throw new ModelArtifactError(
        join(this.artifactDir(record), MODEL_JSON_FILE),
        `reads features ${fileFeatures.join(', ')}, but ml_models row ${record.modelId} lists ${record.features.join(', ')}`,
      );
    }
    return { record, model };
  }

  /** Serves this version for its symbol/interval/horizon; the one served before becomes 'trained'. */
  async activate(ref: string): Promise<RegisteredModel> {
    const record = await this.get(ref);
    await this.db.transaction(async (tx) => {
      await this.deactivateSeries(tx, record.symbol, record.interval, record.horizonMs);
      await tx.execute(`UPDATE ml_models SET status = 'active' WHERE id = ?`, [record.id]);
    });
    return this.get(record.modelId);
  }

  async setStatus(ref: string, status: Exclude<ModelStatus, 'active'>): Promise<RegisteredModel> {
    const record = await this.get(ref);
    await this.db.execute('UPDATE ml_models SET status = ? WHERE id = ?', [status, record.id]);
    return this.get(record.modelId);
  }
}
