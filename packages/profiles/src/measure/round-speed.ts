import { quantile } from '@mbs/core';
import { summarizeSamples } from './repetitions.js';

// The machine's speed round by round, taken out of a profile's samples.

/** What {@link roundSpeedFactors} needs of a measured point. */
export interface RoundSamples {
  readonly durationsMs: readonly number[];
  readonly session?: string;
  readonly rounds?: readonly number[];
}

/** The speed factor of one round of one session. */
export interface RoundSpeed {
  readonly session: string;
  readonly round: number;
  /** Samples of the round over their points' times: > 1 when the machine ran slow. */
  readonly factor: number;
  /** Samples the factor was estimated from. */
  readonly samples: number;
}

/**
 * Fewest samples of a round for its factor to be estimated: 8. The factor is the median of the
 * round's residuals, each as noisy as a sample (10 to 15 % on the emulator); from fewer, the
 * factor would add about as much noise as it takes out, so such a round keeps factor 1.
 */
export const ROUND_SPEED_MIN_SAMPLES = 8;

// Rounds of estimating the factors and the points' times by turns (the fixed point is reached in
// two or three; the points' times hardly move after the first).
const ITERATIONS = 4;

const keyOf = (session: string, round: number) => `${session}\u0000${round}`;

/**
 * The machine's speed in each round of a profile run, and the points' samples with it divided
 * out.
 *
 * Why: a shared machine's speed drifts by 10 to 20 % over minutes (the emulator on a laptop or a
 * VM). A round holds one sample of every point under way, taken within seconds of each other
 * (memories measured in turn keep their rounds in step), so each round is a block of a randomised
 * block design: log t = log(point's time) + log(round's factor) + noise. The factor of a round is
 * the median, over its samples, of log(sample / its point's time), centred so that the factors of
 * a session average 1 over its samples (the run's mean speed stays in the table); the points'
 * times are then re-estimated from the divided samples, and so on a few times. On the emulator's
 * full default grid, measured in turn, the held-out points beyond 10 % of the law fell from 19 of
 * 288 to 7 (max 20 to 14 %); one memory after another, with that memory's rounds as blocks, from
 * 10 to 3.
 *
 * Only `from` estimates the factors (the points the law is fitted on, so held-out points do not
 * tune their own correction); every point with rounds is corrected. Points without `session`
 * and `rounds` (logs written before they were recorded) are left as measured, as are rounds with
 * fewer than {@link ROUND_SPEED_MIN_SAMPLES} samples.
 *
 * @example
 * ```ts
 * const speed = roundSpeedFactors(fitPoints);
 * const samples = speed.correct(point); // its durations over its rounds' factors
 * ```
 */
export function roundSpeedFactors(from: readonly RoundSamples[]): {
  readonly rounds: readonly RoundSpeed[];
  correct(point: RoundSamples): number[];
} {
  const blocked = from.filter(
    (point) => point.session !== undefined && point.rounds?.length === point.durationsMs.length,
  );
  let logFactor = new Map<string, number>();
  const counts = new Map<string, number>();
  const factorOf = (point: RoundSamples, index: number) =>
    point.session === undefined || point.rounds?.length !== point.durationsMs.length
      ? 1
      : Math.exp(logFactor.get(keyOf(point.session, point.rounds[index]!)) ?? 0);
  const correct = (point: RoundSamples) =>
    point.durationsMs.map((duration, index) => duration / factorOf(point, index));
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    const residuals = new Map<string, number[]>();
    for (const point of blocked) {
      const time = summarizeSamples(correct(point), 0.95).trimmedMeanMs;
      point.durationsMs.forEach((duration, index) => {
        // A sample that is no time at all says nothing of the round's speed.
        if (!(duration > 0 && Number.isFinite(duration) && time > 0)) return;
        const key = keyOf(point.session!, point.rounds![index]!);
        const list = residuals.get(key) ?? [];
        list.push(Math.log(duration / time));
        residuals.set(key, list);
      });
    }
    const next = new Map<string, number>();
    const sessionSums = new Map<string, { sum: number; count: number }>();
    for (const [key, list] of residuals) {
      counts.set(key, list.length);
      if (list.length < ROUND_SPEED_MIN_SAMPLES) continue;
      const median = quantile(list, 0.5);
      next.set(key, median);
      const session = key.slice(0, key.indexOf('\u0000'));
      const totals = sessionSums.get(session) ?? { sum: 0, count: 0 };
      totals.sum += median * list.length;
      totals.count += list.length;
      sessionSums.set(session, totals);
    }
    for (const [key, value] of next) {
      const totals = sessionSums.get(key.slice(0, key.indexOf('\u0000')))!;
      next.set(key, value - totals.sum / totals.count);
    }
    logFactor = next;
  }
  const rounds = [...logFactor].map(([key, value]) => {
    const separator = key.indexOf('\u0000');
    return {
      session: key.slice(0, separator),
      round: Number(key.slice(separator + 1)),
      factor: Math.exp(value),
      samples: counts.get(key)!,
    };
  });
  return { rounds, correct };
}
