import { ValidationError } from '@rrr/core';

/** The `field: message` lines of the ValidationError a promise rejects with; any other outcome fails the test. */
export async function validationProblemsOf(promise: Promise<unknown>): Promise<string[]> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ValidationError) return error.problems.map((p) => `${p.field}: ${p.message}`);
    throw error;
  }
  throw new Error('expected a ValidationError');
}
