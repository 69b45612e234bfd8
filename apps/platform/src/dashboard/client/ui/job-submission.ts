import { ApiError, type FieldProblem } from '../api/api-error';

/** Where a job form is: what its `data-state` says, for readers and specs. */
export type JobFormState = 'idle' | 'submitting' | 'refused' | 'submitted';

export interface JobSubmission<J> {
  /** The POST that submits the job. */
  send: () => Promise<J>;
  /** The accepted job's watch, shown first in `jobs`. */
  watch: (job: J) => HTMLElement;
  jobs: HTMLElement;
  /** How many watches stay listed; older ones are dropped. */
  shown: number;
  setState: (state: JobFormState) => void;
  showProblems: (problems: readonly FieldProblem[]) => void;
  /** Told true while the POST is on its way and false after, so the form's submit button follows. */
  setBusy: (busy: boolean) => void;
}

/**
 * Submits a job from a form: the form is busy while the POST is on its way; an accepted job's watch goes first in the
 * list; a refusal lists the server's problems by field, and one without named fields (no key, a full queue, the
 * network) is still said in full.
 */
export async function submitJob<J>(submission: JobSubmission<J>): Promise<void> {
  const { jobs, setState, showProblems, setBusy } = submission;
  setBusy(true);
  setState('submitting');
  showProblems([]);
  try {
    const job = await submission.send();
    jobs.prepend(submission.watch(job));
    while (jobs.childElementCount > submission.shown) jobs.lastElementChild?.remove();
    setState('submitted');
  } catch (error) {
    const problems = error instanceof ApiError ? error.problems : [];
    showProblems(problems.length > 0 ? problems : [{ field: '', message: (error as Error).message }]);
    setState('refused');
  } finally {
    setBusy(false);
  }
}
