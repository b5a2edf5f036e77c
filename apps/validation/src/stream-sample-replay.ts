import { bufferClassShare, selectQuantiles } from '@mbs/core';
import { thinMap } from '@mbs/markov';
import {
  classRange,
  type OptimizationProblem,
  type ReplayMeasurement,
  type SystemReplay,
} from '@mbs/optimizer';
import { simulateMap } from '@mbs/sim';

/**
 * A replay of the processes the model was given, buffer by buffer: each buffer's stream sampled
 * from the MAP the model used for it (`problem.rangeArrivals` of its range, or the window's MAP
 * thinned to its share), its classes drawn independently by their shares within the range (as the
 * model assumes), `requests x share` requests each, replayed through that buffer alone in
 * `@mbs/sim` (idle buffers cover the other classes); the latencies pooled. Buffers share nothing, so the pooled percentile is the
 * system's. This is the "fitted-process replay" when each range has its own stream (a window's
 * classes depending on its arrivals); it has no standard error.
 *
 * @example
 * ```ts
 * const replay = createStreamSampleReplay(problem, { requests: 1e6, seed: 7 });
 * replay(solution.system, 0.95).percentileSeconds;
 * ```
 */
export function createStreamSampleReplay(
  problem: OptimizationProblem,
  options: { readonly requests: number; readonly seed: number },
): SystemReplay {
  const { profile, pricing, classShares } = problem;
  return (system, percentile): ReplayMeasurement => {
    const latencies: number[] = [];
    let cost = 0;
    let requests = 0;
    system.buffers.forEach((buffer, index) => {
      const portions = classShares.map((_, classId) => bufferClassShare(buffer, classId));
      const shares = classShares.map((share, classId) => share * portions[classId]!);
      const share = shares.reduce((sum, value) => sum + value, 0);
      if (!(share > 0)) return;
      const from = { classId: buffer.firstClass, share: 1 - buffer.firstClassShare };
      const to =
        buffer.lastClassShare < 1 && buffer.lastClass !== buffer.firstClass
          ? { classId: buffer.lastClass, share: buffer.lastClassShare }
          : { classId: buffer.lastClass + 1, share: 0 };
      const map = problem.rangeArrivals
        ? problem.rangeArrivals(classRange(from, to))
        : thinMap(problem.map, Math.min(1, share));
      const count = Math.max(1, Math.round(options.requests * share));
      // The buffer alone receives requests: it takes all of its classes (the shares above carry
      // its portions of split ones), and idle buffers cover the rest so the system is whole.
      const whole = { ...buffer, firstClassShare: 1, lastClassShare: 1 };
      const idle = (firstClass: number, lastClass: number) => ({
        ...whole,
        firstClass,
        lastClass,
        batchSize: 1,
        timeoutSeconds: 0,
      });
      const buffers = [
        ...(buffer.firstClass > 0 ? [idle(0, buffer.firstClass - 1)] : []),
        whole,
        ...(buffer.lastClass < classShares.length - 1
          ? [idle(buffer.lastClass + 1, classShares.length - 1)]
          : []),
      ];
      const { overall } = simulateMap(
        {
          map,
          classShares: shares.map((value) => value / share),
          representativeSizes: problem.classRepresentativeSizes,
        },
        {
          system: { buffers },
          profile,
          pricing,
          seed: options.seed + index,
          onRequest: (record) => {
            latencies.push(record.latencySeconds);
          },
        },
        count,
      );
      cost += overall.costPerRequestUsd * overall.requests;
      requests += overall.requests;
    });
    return {
      percentileSeconds: selectQuantiles(Float64Array.from(latencies), [percentile])[0]!,
      costPerRequestUsd: cost / requests,
      requests,
    };
  };
}
