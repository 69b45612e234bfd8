/**
 * Jobs stored by a service while it works on them carry a heartbeat: the owning process stamps its queued and
 * running jobs every interval. A stored unfinished job not stamped for this many intervals belonged to a process that
 * died (a SIGKILL, a lost machine) and is ended as failed instead of showing as running forever. Three intervals
 * leave room for a stamp delayed by a busy event loop or a slow write.
 */
export const STALE_AFTER_HEARTBEATS = 3;

/** The error a job gets when its heartbeat went stale. */
export function interruptedJobError(lastHeardAt: number): string {
  return `interrupted: the process running it stopped (last heard of at ${new Date(lastHeardAt).toISOString()})`;
}
