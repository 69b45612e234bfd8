import type { Database } from '@rrr/core';
import { ModelRegistry, type ModelListFilter, type RegisteredModel } from '../registry/model-registry';

/** Registered model versions (ml_models), ordered by name and version. */
export function listModels(
  deps: { db: Database; modelsDir: string },
  filter: ModelListFilter = {},
): Promise<RegisteredModel[]> {
  return new ModelRegistry(deps).list(filter);
}
