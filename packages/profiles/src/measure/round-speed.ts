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
  const hasRounds = (point: RoundSamples) =>
    point.session !== undefined && point.rounds?.length === point.durationsMs.length;
  const blocked = from.filter(hasRounds);
  // log factor and sample count of each round, by session then round
  let factors = new Map<string, Map<number, { log: number; samples: number }>>();
  const correct = (point: RoundSamples) => {
    const session = hasRounds(point) ? factors.get(point.session!) : undefined;
    return point.durationsMs.map(
      (duration, index) => duration / Math.exp(session?.get(point.rounds![index]!)?.log ?? 0),
    );
  };
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    const residuals = new Map<string, Map<number, number[]>>();
    for (const point of blocked) {
      const time = summarizeSamples(correct(point), 0.95).trimmedMeanMs;
      const session = residuals.get(point.session!) ?? new Map<number, number[]>();
      residuals.set(point.session!, session);
      point.durationsMs.forEach((duration, index) => {
        // A sample that is no time at all says nothing of the round's speed.
        if (!(duration > 0 && Number.isFinite(duration) && time > 0)) return;
        const round = point.rounds![index]!;
        const list = session.get(round) ?? [];
        list.push(Math.log(duration / time));
        session.set(round, list);
      });
    }
    const next: typeof factors = new Map();
    for (const [name, rounds] of residuals) {
      const estimated = [...rounds]
        .filter(([, list]) => list.length >= ROUND_SPEED_MIN_SAMPLES)
        .map(
          ([round, list]) => [round, { log: quantile(list, 0.5), samples: list.length }] as const,
        );
      // Centred on the session's sample-weighted mean: its mean speed stays in the table.
      const total = estimated.reduce((sum, [, entry]) => sum + entry.samples, 0);
      const mean = estimated.reduce((sum, [, entry]) => sum + entry.log * entry.samples, 0) / total;
      next.set(
        name,
        new Map(estimated.map(([round, entry]) => [round, { ...entry, log: entry.log - mean }])),
      );
    }
    factors = next;
  }
  const rounds = [...factors].flatMap(([session, byRound]) =>
    [...byRound].map(([round, entry]) => ({
      session,
      round,
      factor: Math.exp(entry.log),
      samples: entry.samples,
    })),
  );
  return { rounds, correct };
}
