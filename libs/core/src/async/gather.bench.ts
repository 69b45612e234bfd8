import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Bench } from 'tinybench';
import { gather } from './gather';

const CALLS = 100;
const LIMIT = 10;
const SERVER_DELAY_MS = 20;
const TARGET_FRACTION_OF_IDEAL = 0.8;

/** A loopback vendor API that answers every request after a fixed latency, as a rate-friendly REST endpoint would. */
function startSlowServer(): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ path: req.url, price: 43_250.5 }));
    }, SERVER_DELAY_MS);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function getJson(agent: http.Agent, port: number, path: string): Promise<{ path: string; price: number }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(JSON.parse(body)));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

function checkAnswers(answers: { path: string }[]): void {
  // Every call must have been made and answered in order, or the timing means nothing.
  if (answers.length !== CALLS || answers.some((a, i) => a.path !== `/quote/${i}`)) {
    throw new Error(`expected ${CALLS} answers in input order, got ${answers.length}`);
  }
}

async function main(): Promise<void> {
  const server = await startSlowServer();
  const { port } = server.address() as AddressInfo;
  // Enough kept-alive sockets for the whole concurrency limit, so connection set-up is not what is measured.
  const agent = new http.Agent({ keepAlive: true, maxSockets: LIMIT * 2 });
  const paths = Array.from({ length: CALLS }, (_, i) => `/quote/${i}`);

  const bench = new Bench({ time: 0, iterations: 5, warmupIterations: 1, warmupTime: 0, throws: true });
  bench
    .add('sequential (one call at a time)', async () => {
      const answers = [];
      for (const path of paths) answers.push(await getJson(agent, port, path));
      checkAnswers(answers);
    })
    .add(`gather, limit ${LIMIT}`, async () => {
      checkAnswers(
        await gather(
          paths.map((path) => () => getJson(agent, port, path)),
          LIMIT,
        ),
      );
    });

  try {
    await bench.run();
  } finally {
    agent.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  const means = bench.tasks.map((task) => {
    const result = task.result;
    if (result.state !== 'completed') throw new Error(`${task.name}: ${result.state}`);
    return { name: task.name, mean: result.latency.mean, min: result.latency.min, runs: result.latency.samplesCount };
  });
  const [sequential, concurrent] = means;
  const speedUp = sequential.mean / concurrent.mean;
  const ratioToIdeal = speedUp / LIMIT;
  const met = ratioToIdeal >= TARGET_FRACTION_OF_IDEAL;

  const lines = [
    `### gather: ${CALLS} HTTP GETs (${SERVER_DELAY_MS} ms server latency, loopback, keep-alive) — limit ${LIMIT} vs sequential`,
    '',
    '| variant | mean per 100 calls (ms) | best (ms) | runs |',
    '| --- | ---: | ---: | ---: |',
    ...means.map((m) => `| ${m.name} | ${m.mean.toFixed(1)} | ${m.min.toFixed(1)} | ${m.runs} |`),
    '',
    `Speed-up: **${speedUp.toFixed(2)}×** (ideal ${LIMIT}×); ratio to ideal: **${ratioToIdeal.toFixed(3)}**.`,
    `Target: ratio to ideal ≥ ${TARGET_FRACTION_OF_IDEAL} — **${met ? 'met' : 'NOT met'}**.`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
