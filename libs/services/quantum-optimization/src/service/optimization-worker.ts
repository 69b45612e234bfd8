// Entry of an optimisation worker thread (bundled on the fly by optimizationWorkerScript): solves the one problem it
// is sent and answers. The solvers are synchronous and a QAOA run can take seconds, so they never run on the thread
// that serves the API.
import { errorMessage, ValidationError } from '@rrr/core';
import { parentPort } from 'node:worker_threads';
import { optimizePortfolio } from '../optimize-portfolio';
import type { OptimizationWorkerReply, OptimizationWorkerRequest } from './optimization-worker-protocol';

const port = parentPort;
if (port === null) throw new Error('optimization-worker must run in a worker thread');

port.once('message', (message: OptimizationWorkerRequest) => {
  let reply: OptimizationWorkerReply;
  try {
    reply = { ok: true, result: optimizePortfolio(message.input) };
  } catch (error) {
    reply = {
      ok: false,
      message: errorMessage(error),
      ...(error instanceof ValidationError ? { problems: error.problems } : {}),
    };
  }
  port.postMessage(reply);
});
