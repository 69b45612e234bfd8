/** The statements that open, commit and undo one transaction level (BEGIN/COMMIT/ROLLBACK or a savepoint's). */
export interface TransactionSteps {
  begin(): Promise<void> | void;
  commit(): Promise<void> | void;
  rollback(): Promise<void> | void;
}

/** A transaction handle that must refuse work once its callback has settled. */
export interface EndableSession {
  end(): void;
}

/**
 * Runs `fn` inside one transaction level: commit when it resolves, roll back when it (or the commit) throws, and
 * always rethrow the original error — a failed rollback must not mask why the work failed.
 */
export async function runTransaction<S extends EndableSession, R>(
  steps: TransactionSteps,
  session: S,
  fn: (session: S) => Promise<R>,
): Promise<R> {
  await steps.begin();
  let result: R;
  try {
    result = await fn(session);
    session.end();
    await steps.commit();
  } catch (err) {
    session.end();
    try {
      await steps.rollback();
    } catch {
      // The connection is already failing; the caller needs `err`, and the steps discard a broken connection.
    }
    throw err;
  }
  return result;
}
