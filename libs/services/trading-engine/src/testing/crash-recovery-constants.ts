/** Shared by the crash-recovery child process and the test that kills it. */
export const CRASH_T0 = Date.UTC(2024, 0, 2, 10);
export const CRASH_INITIAL_CASH = 1_000_000;
