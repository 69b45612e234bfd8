import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundledWorkerScript, openDatabase, type Database } from '@rrr/core';
import type { BacktestRequest } from '../api/backtest-request';
import { runBacktest } from '../api/run-backtest';
import { bundledBarLoader } from '../data/bar-loader';
import { settledJob } from '../testing/settled-job';
import { createBacktestingService } from './create-backtesting-service';

const CHILD_ENTRY = 'libs/services/backtesting/src/testing/backtesting-child-process.ts';
const HEARTBEAT_MS = 200;
const BUSY: BacktestRequest = {
  strategy: 'predictor',
  symbols: 'SPX',
  from: '2019-01-01',
  to: '2019-03-01',
  params: { historyBars: 5 },
};
const WAITING: BacktestRequest[] = [
  { strategy: 'sma-cross', symbols: 'SPX', from: '2012-01-01', to: '2017-12-31', params: { fast: 15, slow: 40 } },
  { strategy: 'bollinger', symbols: 'SPX', from: '2010-01-01', to: '2014-12-31', name: 'bands' },
];

/**
 * A process holding a running backtest and two queued ones is killed with SIGKILL: another process on the same
 * database ends the running one as interrupted, and takes the queued ones over once their heartbeat is stale — not
 * before — completing them under the ids the first process handed out, with the results the first would have stored.
 */
describe('queued backtests of a killed process (child process)', () => {
  let dir: string;
  let db: Database;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-backtesting-kill-'));
    db = await openDatabase({ sqlitePath: join(dir, 'rrr.db') });
  });

  afterAll(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('are taken over under their ids and completed; the running one is ended as interrupted', async () => {
    // Bundled like a worker script: a file under the workspace's node_modules that node runs as a process too.
    const childScript = await bundledWorkerScript(CHILD_ENTRY, 'rrr-test-children');
    const child = spawn(process.execPath, [childScript, join(dir, 'rrr.db'), JSON.stringify([BUSY, ...WAITING])], {
      env: { PATH: process.env.PATH },
      cwd: dir,
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, signal) => done(signal)));
    const { running, queued } = await new Promise<{ running: string; queued: string[] }>((done, fail) => {
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /^running (\S+) queued (\S+)$/m.exec(stdout);
        if (match) done({ running: match[1], queued: match[2].split(',') });
      });
      void exited.then(() => fail(new Error(`the child exited before its jobs were queued: ${stderr}`)));
    });
    expect(queued).toHaveLength(2);

    const other = createBacktestingService({ db }, { heartbeatMs: HEARTBEAT_MS });
    expect((await other.progress(running)).status).toBe('running');
    expect((await other.progress(queued[0])).status).toBe('queued');
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const killedAt = Date.now();

    // Started at once, it leaves the jobs alone while their heartbeat is fresh …
    await other.start();
    expect(() => other.job(queued[0])).toThrow(`backtest job "${queued[0]}" not found`);
    // … and takes them over once it is stale.
    while ((await other.health()).details?.['completed'] === 0 && Date.now() - killedAt < 15_000) {
      await new Promise((done) => setTimeout(done, 20));
    }
    // Stale three intervals after the last stamp, which was at most one interval before the kill.
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(2 * HEARTBEAT_MS);
    for (const [i, id] of queued.entries()) {
      const job = await settledJob(other, id);
      expect(job).toMatchObject({ id, status: 'completed', request: WAITING[i] });
      const direct = await runBacktest(WAITING[i], { loader: bundledBarLoader() });
      const { run, trades } = await other.getRun(id);
      expect(run).toMatchObject({ id, status: 'completed', name: direct.name, error: null });
      expect(run.finalEquity).toBe(direct.curve.equity[direct.curve.equity.length - 1]);
      expect(run.metrics?.strategy).toEqual(direct.metrics);
      expect(trades.map((t) => [t.entryTs, t.entryPrice, t.exitTs, t.exitPrice])).toEqual(
        direct.trades.map((t) => [t.entryTs, t.entryPrice, t.exitTs, t.exitPrice]),
      );
    }
    const interrupted = await other.progress(running);
    expect(interrupted).toMatchObject({ status: 'failed' });
    expect(interrupted.error).toMatch(
      /^interrupted: the process running it stopped \(last heard of at \d{4}-\d\d-\d\dT/,
    );
    expect(() => other.job(running)).toThrow(`backtest job "${running}" not found`);
    await other.stop();
  });
});
