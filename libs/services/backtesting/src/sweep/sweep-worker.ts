// Entry of a sweep worker thread (bundled on the fly by sweepWorkerScript): runs the parameter sets it is sent, one
// at a time, and answers each with its metrics.
import { parentPort } from 'node:worker_threads';
import { errorMessage } from '@rrr/core';
import { evaluateParameterSet, type SweepJob, type SweepWorkerReply, type SweepWorkerRequest } from './sweep-job';

const port = parentPort;
if (port === null) throw new Error('sweep-worker must run in a worker thread');
const jobs = new Map<number, SweepJob>();

port.on('message', (message: SweepWorkerRequest) => {
  if (message.type === 'job') {
    jobs.set(message.jobId, message.job);
    return;
  }
  if (message.type === 'forget') {
    jobs.delete(message.jobId);
    return;
  }
  const job = jobs.get(message.jobId);
  const reply = (answer: SweepWorkerReply): void => port.postMessage(answer);
  if (job === undefined) {
    reply({ type: 'error', jobId: message.jobId, index: message.index, message: `unknown sweep job ${message.jobId}` });
    return;
  }
  evaluateParameterSet(job, message.parameters).then(
    (metrics) => reply({ type: 'result', jobId: message.jobId, index: message.index, metrics }),
    (error: unknown) =>
      reply({
        type: 'error',
        jobId: message.jobId,
        index: message.index,
        message: errorMessage(error),
      }),
  );
});
