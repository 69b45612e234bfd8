import { Writable } from 'node:stream';
import pino from 'pino';
import { Bench } from 'tinybench';
import { createLogger } from './create-logger';

/** createLogger's censoring may cost at most this multiple of an unredacted pino logger per line. */
const TARGET_RATIO_TO_PLAIN = 2;
const LINES_PER_ITERATION = 1000;
const SECRET_KEYS = [
  'apiKey',
  'apiSecret',
  'secret',
  'password',
  'passphrase',
  'token',
  'accessToken',
  'refreshToken',
  'privateKey',
];

/** A sink that keeps only a byte count, so formatting is measured rather than I/O. */
function countingSink(): { stream: Writable; bytes: () => number } {
  let bytes = 0;
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done();
    },
  });
  return { stream, bytes: () => bytes };
}

/** A typical hot-path line: a fill with its order, nothing to censor. */
function fillEvent(i: number) {
  return {
    fill: {
      id: `f-${i}`,
      orderId: `o-${i}`,
      symbol: 'BTC-USD',
      side: 'buy',
      quantity: 0.25,
      price: 43_250.5,
      fee: 10.8,
    },
    venue: 'paper',
    latencyMs: 23,
  };
}

async function main(): Promise<void> {
  const plainSink = countingSink();
  const pathsSink = countingSink();
  const oursSink = countingSink();
  const plain = pino({ level: 'info' }, plainSink.stream);
  // Reaching depth 3 with pino paths takes `key`, `*.key`, `*.*.key`, `*.*.*.key` for each key.
  const paths = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`]);
  const wildcardPaths = pino({ level: 'info', redact: { paths, censor: '[redacted]' } }, pathsSink.stream);
  const ours = createLogger({ level: 'info', destination: oursSink.stream });

  const logMany = (logger: pino.Logger) => () => {
    for (let i = 0; i < LINES_PER_ITERATION; i += 1) logger.info(fillEvent(i), 'fill');
  };
  const bench = new Bench({ time: 1500, warmupTime: 300, throws: true });
  bench
    .add('pino, no redaction', logMany(plain))
    .add(`pino redact, ${paths.length} wildcard paths (depth 0-3)`, logMany(wildcardPaths))
    .add('createLogger (key-name walk, any depth)', logMany(ours));
  await bench.run();

  // A logger that wrote nothing would look fast.
  if (oursSink.bytes() === 0 || plainSink.bytes() === 0 || pathsSink.bytes() === 0) throw new Error('no output');

  const rows = bench.tasks.map((task) => {
    const result = task.result;
    if (result.state !== 'completed') throw new Error(`${task.name}: ${result.state}`);
    const perLineUs = (result.latency.mean * 1000) / LINES_PER_ITERATION;
    return { name: task.name, perLineUs, runs: result.latency.samplesCount };
  });
  const [plainRow, pathsRow, oursRow] = rows;
  const ratioToPlain = oursRow.perLineUs / plainRow.perLineUs;
  const speedUpOverPaths = pathsRow.perLineUs / oursRow.perLineUs;
  const met = ratioToPlain <= TARGET_RATIO_TO_PLAIN && speedUpOverPaths > 1;

  const lines = [
    `### createLogger redaction: cost per log line (${LINES_PER_ITERATION} fill events per iteration, discarding sink)`,
    '',
    '| logger | mean per line (µs) | iterations |',
    '| --- | ---: | ---: |',
    ...rows.map((r) => `| ${r.name} | ${r.perLineUs.toFixed(2)} | ${r.runs} |`),
    '',
    `createLogger / unredacted pino: **${ratioToPlain.toFixed(2)}×**; wildcard paths / createLogger: **${speedUpOverPaths.toFixed(2)}×**.`,
    `Target: createLogger ≤ ${TARGET_RATIO_TO_PLAIN}× unredacted pino and faster than wildcard paths — **${met ? 'met' : 'NOT met'}**.`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
