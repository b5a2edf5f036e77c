import { createRandom } from '@mbs/core';
import { describe, expect, it } from 'vitest';
import { summarizeSamples } from './repetitions.js';
import { ROUND_SPEED_MIN_SAMPLES, type RoundSamples, roundSpeedFactors } from './round-speed.js';

// A machine that slows down over the run (factor 0.9 in round 0 to 1.2 in round 14), and points
// measured in rounds: the ones that stop early (5 samples) saw only the fast rounds, the others
// (15 samples) all of them. Their raw means are then tilted against each other by up to 10 %.
const ROUNDS = 15;
const speedAt = (round: number) => 0.9 + (0.3 * round) / (ROUNDS - 1);

function measuredPoints(session: string, seed: number) {
  const random = createRandom(seed);
  return Array.from({ length: 24 }, (_, index) => {
    const timeMs = 5 + 3 * index;
    const count = index % 2 === 0 ? 5 : ROUNDS;
    const rounds = Array.from({ length: count }, (_, round) => round);
    const durationsMs = rounds.map(
      (round) => timeMs * speedAt(round) * (1 + 0.01 * (2 * random.next() - 1)),
    );
    return { timeMs, point: { durationsMs, session, rounds } satisfies RoundSamples };
  });
}

const trimmed = (samples: readonly number[]) => summarizeSamples(samples, 0.95).trimmedMeanMs;

/** The largest spread of (estimate / true time) over the points: what tilts one against another. */
function tilt(points: ReturnType<typeof measuredPoints>, estimate: (p: RoundSamples) => number) {
  const ratios = points.map(({ timeMs, point }) => estimate(point) / timeMs);
  return Math.max(...ratios) / Math.min(...ratios) - 1;
}

describe('roundSpeedFactors', () => {
  it("divides each round's speed out, so points measured in different rounds compare", () => {
    const points = measuredPoints('run#0', 1);
    const speed = roundSpeedFactors(points.map(({ point }) => point));
    expect(tilt(points, (point) => trimmed(point.durationsMs))).toBeGreaterThan(0.1);
    expect(tilt(points, (point) => trimmed(speed.correct(point)))).toBeLessThan(0.03);
    // The factors follow the speed, up to the run's mean speed (which stays in the table).
    const factors = [...speed.rounds].sort((a, b) => a.round - b.round);
    expect(factors).toHaveLength(ROUNDS);
    const ratio = factors.map((entry) => entry.factor / speedAt(entry.round));
    expect(Math.max(...ratio) / Math.min(...ratio) - 1).toBeLessThan(0.03);
  });

  it('keeps sessions apart, and leaves points without rounds and thin rounds as measured', () => {
    const first = measuredPoints('run-a#0', 2);
    // A second run (a resume) whose rounds were taken at other times, at another speed.
    const second = measuredPoints('run-b#0', 3).map(({ timeMs, point }) => ({
      timeMs,
      point: { ...point, durationsMs: point.durationsMs.map((duration) => duration * 1.3) },
    }));
    const speed = roundSpeedFactors([...first, ...second].map(({ point }) => point));
    expect(new Set(speed.rounds.map((entry) => entry.session))).toEqual(
      new Set(['run-a#0', 'run-b#0']),
    );
    // Each session keeps its own mean speed: the second run's table stays 1.3 x the first's.
    const level = (points: typeof first) =>
      points.reduce((sum, { timeMs, point }) => sum + trimmed(speed.correct(point)) / timeMs, 0) /
      points.length;
    expect(level(second) / level(first)).toBeCloseTo(1.3, 1);

    const old = { durationsMs: [10, 11, 12, 30, 9] };
    expect(speed.correct(old)).toEqual(old.durationsMs);
    // A round with fewer samples than the minimum keeps factor 1.
    const thin = Array.from({ length: ROUND_SPEED_MIN_SAMPLES - 1 }, (_, index) => ({
      durationsMs: [10 + index, 20 + index],
      session: 'thin#0',
      rounds: [0, 1],
    }));
    const thinSpeed = roundSpeedFactors(thin);
    expect(thinSpeed.rounds).toEqual([]);
    expect(thinSpeed.correct(thin[0]!)).toEqual([10, 20]);
  });
});
