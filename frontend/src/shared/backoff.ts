/** Reconnect delays: exponential growth, a cap, and jitter so clients do not reconnect in step. */

export interface BackoffOptions {
  baseMs: number;
  factor: number;
  maxMs: number;
  /** Fraction of the delay that jitter may take away (0 = none, 0.5 = up to half). */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, factor: 2, maxMs: 15_000, jitter: 0.5 };

/** Delay before reconnect attempt number `attempt` (0-based); `random` returns [0, 1). */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const exp = options.baseMs * options.factor ** Math.max(0, attempt);
  const raw = Math.min(options.maxMs, exp);
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(raw * (1 - options.jitter * r));
}
