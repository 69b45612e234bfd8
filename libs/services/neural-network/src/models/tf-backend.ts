import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { RrrError } from '@rrr/core';

/** 'wasm' (XNNPACK, the default) or tfjs's plain-JavaScript 'cpu' backend (the benchmark's reference). */
export type TfBackendName = 'wasm' | 'cpu';

let wasmPathsSet = false;

/**
 * Makes `name` the active tfjs backend. The .wasm binaries ship inside @tensorflow/tfjs-backend-wasm; pointing the
 * loader at that folder works in jest, in the esbuild bundle and from source alike.
 */
export async function useTfBackend(name: TfBackendName = 'wasm'): Promise<void> {
  if (name === 'wasm' && !wasmPathsSet) {
    setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'))}/dist/`);
    wasmPathsSet = true;
  }
  if (tf.getBackend() === name) return;
  // tfjs only logs a failed backend initialisation and answers false; say what failed instead.
  if (!(await tf.setBackend(name))) {
    throw new RrrError('SERVICE_UNAVAILABLE', `tfjs backend "${name}" could not be initialised`, {
      details: { backend: name },
    });
  }
  await tf.ready();
}
