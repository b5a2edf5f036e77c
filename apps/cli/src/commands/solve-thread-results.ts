import {
  type BufferOutcome,
  createModelEvaluator,
  type OptimizationProblem,
  type Solution,
  searchWaitLaws,
} from '@mbs/optimizer';
import type { WindowResult } from './solve-windows.js';

/** A solution as a worker thread sends it: each buffer's outcome without its latency law. */
type PlainSolution = Omit<Solution, 'buffers'> & {
  readonly buffers: readonly (Omit<Solution['buffers'][number], 'outcome'> & {
    readonly outcome: Omit<BufferOutcome, 'fractionWithin'>;
  })[];
};

/** A window's result as a worker thread sends it: plain data, without its problem. */
export interface PlainWindowResult extends Omit<WindowResult, 'problem' | 'report' | 'nominal'> {
  readonly report: {
    readonly solution: PlainSolution;
    readonly baselines: readonly { readonly name: string; readonly solution: PlainSolution }[];
  };
  readonly nominal?: PlainSolution;
}

/** Maps every solution of a result once (the report's solution is also one of its baselines). */
function mapSolutions<From extends object, To>(
  result: {
    report: { solution: From; baselines: readonly { name: string; solution: From }[] };
    nominal?: From;
  },
  map: (solution: From) => To,
) {
  const mapped = new Map<From, To>();
  const once = (solution: From) => {
    if (!mapped.has(solution)) mapped.set(solution, map(solution));
    return mapped.get(solution)!;
  };
  return {
    report: {
      solution: once(result.report.solution),
      baselines: result.report.baselines.map(({ name, solution }) => ({
        name,
        solution: once(solution),
      })),
    },
    ...(result.nominal === undefined ? {} : { nominal: once(result.nominal) }),
  };
}

/**
 * A window's result as structured clone can send it: a buffer's latency law is a function, so it
 * is left out (the receiver gets it back from the model, see {@link revivedWindowResult}).
 */
export function plainWindowResult({
  problem: _problem,
  ...result
}: WindowResult): PlainWindowResult {
  return {
    ...result,
    ...mapSolutions(
      result as Required<Pick<WindowResult, 'report'>> & WindowResult,
      (solution: Solution) => ({
        ...solution,
        buffers: solution.buffers.map(
          ({ outcome: { fractionWithin: _law, ...figures }, ...buffer }) => ({
            ...buffer,
            outcome: figures,
          }),
        ),
      }),
    ),
  } as PlainWindowResult;
}

/**
 * A worker's window result with its problem and each buffer's latency law back: the law is the
 * model's for the buffer's range and settings on the window's problem (what the worker's search
 * evaluated), computed when first asked for.
 */
export function revivedWindowResult(
  plain: PlainWindowResult,
  problem: OptimizationProblem,
): WindowResult {
  // The same wait-law cache settings as the window's own solve (solveWindow), so the laws agree.
  const evaluator = createModelEvaluator(problem, { waitLaws: searchWaitLaws(problem) });
  const revived = mapSolutions(
    plain,
    (solution: PlainSolution): Solution => ({
      ...solution,
      buffers: solution.buffers.map((buffer) => {
        let outcome: BufferOutcome | undefined;
        return {
          ...buffer,
          outcome: {
            ...buffer.outcome,
            fractionWithin: (limit: number) => {
              outcome ??= evaluator.evaluate(buffer.range, buffer.settings);
              return outcome.fractionWithin(limit);
            },
          },
        };
      }),
    }),
  );
  const { report: _report, nominal: _nominal, ...rest } = plain;
  return { ...rest, ...revived, problem };
}
