import { availableParallelism, loadavg } from 'node:os';
import { Bench } from 'tinybench';
import * as tf from '@tensorflow/tfjs';
import type { Bar } from '@rrr/core';
import { FEATURE_SET } from './features/feature-set';
import { FeatureScaler } from './features/feature-scaler';
import { createLabelSpec } from './features/labels';
import { StreamingInference } from './live/streaming-inference';
import { createPredictor } from './models/create-predictor';
import type { LabelledWindows, Predictor } from './models/predictor';
import { useTfBackend, type TfBackendName } from './models/tf-backend';
import { createTrainedModel } from './models/trained-model';
import { loadSp500Bars } from './testing/daily-csv-bars';
import {
  buildSupervisedSeries,
  labelsAt,
  range,
  rowsAt,
  scaledWindows,
  usableRange,
} from './training/supervised-series';

const LSTM = { lookback: 10, units: 16, batchSize: 64, maxEpochs: 1, seed: 42 };
const BATCH_SIZES = [LSTM.batchSize, 256] as const;
const WASM_SPEEDUP_TARGET = 5;
const INFERENCE_P99_TARGET_MS = 5;

/**
 * This process's CPU time in ms (µs resolution). On a shared 2-core machine wall-clock time mostly measures the
 * neighbours; CPU time measures the code (tfjs wasm and cpu both compute on the main thread here).
 */
function cpuNow(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

function fail(message: string): never {
  throw new Error(message);
}

function completed(task: Bench['tasks'][number]) {
  const r = task.result;
  if (r.state !== 'completed') fail(`${task.name}: ${r.state}`);
  return r;
}

/**
 * One LSTM epoch over every SPX sample (lookback 10) on each backend, at the default batch of 64 and at 256. The
 * plain-JS backend's epoch costs about the same at any batch size (it is bound by arithmetic); the wasm backend's
 * falls with bigger batches (it is bound by per-kernel dispatch: ~1,500 small kernels per batch whatever its size),
 * so the ratio between them is a function of the batch size, and the comparison shows by how much.
 */
async function lstmEpochBench(): Promise<string[]> {
  const series = buildSupervisedSeries(loadSp500Bars(), createLabelSpec({ interval: '1d' }));
  const usable = usableRange(series, LSTM.lookback);
  const indices = range(usable.start, usable.end);
  const scaler = FeatureScaler.fit(rowsAt(series, indices));
  const data: LabelledWindows = {
    windows: scaledWindows(series, scaler, indices, LSTM.lookback),
    labels: labelsAt(series, indices),
  };
  const predictors = new Map<string, Predictor>();
  const key = (backend: TfBackendName, batchSize: number) => `${backend}@${batchSize}`;
  const prepare = (backend: TfBackendName, batchSize: number) => async () => {
    await useTfBackend(backend);
    if (!predictors.has(key(backend, batchSize))) {
      const predictor = await createPredictor({
        kind: 'lstm',
        inputSize: FEATURE_SET.names.length,
        hyperparameters: { ...LSTM, batchSize },
        backend,
      });
      predictors.set(key(backend, batchSize), predictor);
    }
  };
  const epoch = (backend: TfBackendName, batchSize: number) => async () => {
    const predictor = predictors.get(key(backend, batchSize)) ?? fail(`no ${backend} predictor`);
    const report = await predictor.fit(data, { validationFraction: 0 });
    if (report.epochs !== 1 || !Number.isFinite(report.trainLoss))
      fail(`${backend}: epoch did not train (${JSON.stringify(report)})`);
  };
  const bench = new Bench({ time: 0, iterations: 3, warmupIterations: 1, warmupTime: 0, throws: true, now: cpuNow });
  for (const batchSize of BATCH_SIZES) {
    bench
      .add(`cpu (plain JS) backend, batch ${batchSize}`, epoch('cpu', batchSize), {
        beforeAll: prepare('cpu', batchSize),
      })
      .add(`wasm backend, batch ${batchSize}`, epoch('wasm', batchSize), { beforeAll: prepare('wasm', batchSize) });
  }
  await bench.run();
  for (const p of predictors.values()) p.dispose();
  const results = bench.tasks.map(completed);
  // Tasks come in (cpu, wasm) pairs per batch size. The best run is the one least disturbed by other processes on a
  // shared machine; the target is judged on it at the default batch size.
  const ratios = BATCH_SIZES.map((batchSize, b) => {
    const [cpu, wasm] = [results[2 * b], results[2 * b + 1]];
    return { batchSize, best: cpu.latency.min / wasm.latency.min, mean: cpu.latency.mean / wasm.latency.mean };
  });
  const bestSpeedup = ratios[0].best;
  return [
    `### LSTM training epoch on S&P 500 daily features — tfjs wasm vs plain-JS cpu backend`,
    '',
    `${data.windows.length} samples × ${LSTM.lookback} steps × ${FEATURE_SET.names.length} features, LSTM ${LSTM.units} units + softmax, Adam; one epoch per run (includes building the input tensor); batch ${BATCH_SIZES.join(' (the default) and ')}.`,
    '',
    '| backend | mean CPU time per epoch (s) | best (s) | runs |',
    '| --- | ---: | ---: | ---: |',
    ...bench.tasks.map((t, i) => {
      const r = results[i];
      return `| ${t.name} | ${(r.latency.mean / 1000).toFixed(2)} | ${(r.latency.min / 1000).toFixed(2)} | ${r.latency.samplesCount} |`;
    }),
    '',
    ...ratios.map(
      (r) =>
        `Speed-up of wasm over cpu at batch ${r.batchSize}: **${r.best.toFixed(2)}×** best run against best run (${r.mean.toFixed(2)}× on the means).`,
    ),
    `Load average ${loadavg()[0].toFixed(2)} on ${availableParallelism()} cores.`,
    `Target: wasm ≥ ${WASM_SPEEDUP_TARGET}× faster per epoch at the default batch of ${LSTM.batchSize} (DESIGN.md's figure for the wasm backend) — **${bestSpeedup >= WASM_SPEEDUP_TARGET ? 'met' : 'NOT met'}**.`,
    bestSpeedup >= WASM_SPEEDUP_TARGET
      ? ''
      : `Cause (profiled with tf.profile): one training batch is ~1,545 kernels whatever its size (tfjs-layers runs the LSTM as per-time-step matMul, split, gate and Adam kernels); at ${LSTM.batchSize} samples they are tiny, so the wasm backend pays mostly per-kernel dispatch, while the plain-JS backend is bound by arithmetic and costs about the same per epoch at any batch size. Bigger batches close the gap (see the batch-${BATCH_SIZES[1]} ratio); our own training loop adds 3 kernels per batch and leaks no tensors.`,
  ];
}

/** Bars after `seed` continuing the series forever: SPX replayed with shifted timestamps. */
function endlessBars(history: readonly Bar[], from: number): () => Bar {
  let i = from;
  let shift = 0;
  const span = history[history.length - 1].ts - history[from].ts + 86_400_000;
  return () => {
    if (i === history.length) {
      i = from;
      shift += span;
    }
    const bar = history[i];
    i += 1;
    return { ...bar, ts: bar.ts + shift };
  };
}

/** Per-bar latency of streaming features + scaling + predict, for the logistic baseline and the MLP. */
async function inferenceBench(): Promise<string[]> {
  await useTfBackend('wasm');
  const bars = loadSp500Bars();
  const train = bars.slice(0, 3000);
  const series = buildSupervisedSeries(train, createLabelSpec({ interval: '1d' }));
  const usable = usableRange(series, 1);
  const indices = range(usable.start, usable.end);
  const scaler = FeatureScaler.fit(rowsAt(series, indices));
  const data = { windows: scaledWindows(series, scaler, indices, 1), labels: labelsAt(series, indices) };
  const live = new Map<string, { inference: StreamingInference; next: () => Bar }>();
  for (const kind of ['logistic', 'mlp'] as const) {
    const predictor = await createPredictor({
      kind,
      inputSize: FEATURE_SET.names.length,
      hyperparameters: kind === 'mlp' ? { maxEpochs: 5 } : { maxEpochs: 50 },
    });
    await predictor.fit(data);
    const model = createTrainedModel(predictor, scaler, {
      name: `spx-${kind}-1d`,
      version: 1,
      symbol: 'SPX',
      label: series.spec,
      featureSet: FEATURE_SET,
      scaler: scaler.toJSON(),
      trainedFrom: train[0].ts,
      trainedTo: train[train.length - 1].ts,
    });
    const inference = new StreamingInference(model);
    for (const bar of train) inference.warm(bar);
    live.set(kind, { inference, next: endlessBars(bars, 3000) });
  }
  // Wall-clock latency includes time stolen by other processes on a shared machine; CPU time of this process is what
  // the code itself costs. Both are measured, each over the same bar stream.
  const measure = async (clock: 'wall' | 'cpu') => {
    const bench = new Bench({ time: 1500, warmupTime: 200, throws: true, ...(clock === 'cpu' ? { now: cpuNow } : {}) });
    for (const [kind, { inference, next }] of live) {
      bench.add(`${kind}`, () => {
        if (inference.update(next()) === null) fail(`${kind}: no forecast`);
      });
    }
    await bench.run();
    return bench.tasks.map((t) => ({ name: t.name, latency: completed(t).latency }));
  };
  const tensorsBefore = tf.memory().numTensors;
  const wall = await measure('wall');
  const cpu = await measure('cpu');
  const leaked = tf.memory().numTensors - tensorsBefore;
  const us = (ms: number) => (ms * 1000).toFixed(1);
  const cpuP99 = Math.max(...cpu.map((r) => r.latency.p99));
  const wallP99 = Math.max(...wall.map((r) => r.latency.p99));
  const [logistic, mlp] = cpu;
  return [
    `### Live inference per bar — streaming features + scaler + predict (S&P 500 daily, wasm)`,
    '',
    '| model | wall p50 (µs) | wall p99 (µs) | CPU p50 (µs) | CPU p99 (µs) | bars (wall / CPU) |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...wall.map(
      (w, i) =>
        `| ${w.name}: features + predict, one bar | ${us(w.latency.p50)} | ${us(w.latency.p99)} | ${us(cpu[i].latency.p50)} | ${us(cpu[i].latency.p99)} | ${w.latency.samplesCount} / ${cpu[i].latency.samplesCount} |`,
    ),
    '',
    `MLP / logistic CPU p99 ratio: **${(mlp.latency.p99 / logistic.latency.p99).toFixed(1)}×**; tensors leaked: ${leaked}; load average ${loadavg()[0].toFixed(2)} on ${availableParallelism()} cores (wall-clock p99 includes time other processes took).`,
    `Target: p99 < ${INFERENCE_P99_TARGET_MS} ms per bar for both (100 symbols on 1-minute bars then cost < 1 % of one core) — CPU time **${cpuP99 < INFERENCE_P99_TARGET_MS && leaked === 0 ? 'met' : 'NOT met'}**, wall clock **${wallP99 < INFERENCE_P99_TARGET_MS ? 'met' : 'NOT met'}** at this load.`,
  ];
}

async function main(): Promise<void> {
  const sections = [await lstmEpochBench(), await inferenceBench()];
  process.stdout.write(
    `${sections.map((s) => s.filter((line, i, all) => !(line === '' && i === all.length - 1)).join('\n')).join('\n\n')}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
