import { packageErrors, sortedQuantile, studentTQuantile } from '@mbs/core';

const errors = packageErrors('@mbs/profiles');

/**
 * When to stop repeating one point: after at least `minRepetitions` kept samples, as soon as the
 * confidence interval of the mean is at most `relativeWidth` of the mean wide, and in any case
 * after `maxRepetitions`.
 */
export interface RepetitionRule {
  /** Fewest kept samples per point (>= 2, so a spread exists). */
  readonly minRepetitions: number;
  /** Most kept samples per point; a point that reaches it is marked as not converged. */
  readonly maxRepetitions: number;
  /** Full width of the confidence interval of the mean over the mean, e.g. 0.1 for ±5 %. */
  readonly relativeWidth: number;
  /** Confidence of the interval, e.g. 0.95. */
  readonly confidence: number;
}

/** The default rule: 3 to 15 samples, until the 95 % interval of the mean is within ±5 %. */
export const DEFAULT_REPETITION_RULE: RepetitionRule = {
  minRepetitions: 3,
  maxRepetitions: 15,
  relativeWidth: 0.1,
  confidence: 0.95,
};

/**
 * Checks a repetition rule; OPTION_INVALID names the field and the accepted range.
 *
 * @example
 * ```ts
 * const rule = checkRepetitionRule({ ...DEFAULT_REPETITION_RULE, maxRepetitions: 30 });
 * ```
 */
export function checkRepetitionRule(rule: RepetitionRule): RepetitionRule {
  const { minRepetitions, maxRepetitions, relativeWidth, confidence } = rule;
  if (!Number.isSafeInteger(minRepetitions) || minRepetitions < 2) {
    throw errors.option(
      'minRepetitions',
      `is ${minRepetitions}; give an integer >= 2`,
      minRepetitions,
    );
  }
  if (
    !Number.isSafeInteger(maxRepetitions) ||
    maxRepetitions < minRepetitions ||
    maxRepetitions > 10_000
  ) {
    throw errors.option(
      'maxRepetitions',
      `is ${maxRepetitions}; give an integer from minRepetitions (${minRepetitions}) to 10000`,
      maxRepetitions,
    );
  }
  if (!(relativeWidth > 0 && relativeWidth < 2)) {
    throw errors.option(
      'relativeWidth',
      `is ${relativeWidth}; give a number in (0, 2), e.g. 0.1`,
      relativeWidth,
    );
  }
  if (!(confidence > 0 && confidence < 1)) {
    throw errors.option(
      'confidence',
      `is ${confidence}; give a number in (0, 1), e.g. 0.95`,
      confidence,
    );
  }
  return rule;
}

/** The spread of one point's kept samples, in milliseconds. */
export interface SampleSummary {
  readonly count: number;
  readonly meanMs: number;
  /** Sample standard deviation (n - 1); 0 with one sample. */
  readonly standardDeviationMs: number;
  readonly minMs: number;
  readonly medianMs: number;
  readonly maxMs: number;
  /** Full width of the confidence interval of the mean over the mean; Infinity below 2 samples. */
  readonly relativeWidth: number;
}

/**
 * Mean, spread and the relative width of the `confidence` interval of the mean (Student's t:
 * 2 t(1 - α/2, n - 1) s / √n / mean) of one point's samples.
 *
 * @example
 * ```ts
 * summarizeSamples([10, 11, 9, 10], 0.95).relativeWidth; // 0.13
 * ```
 */
export function summarizeSamples(samplesMs: readonly number[], confidence: number): SampleSummary {
  const count = samplesMs.length;
  const sorted = Float64Array.from(samplesMs).sort();
  let sum = 0;
  for (const value of sorted) sum += value;
  const meanMs = count === 0 ? Number.NaN : sum / count;
  let squares = 0;
  for (const value of sorted) squares += (value - meanMs) ** 2;
  const standardDeviationMs = count > 1 ? Math.sqrt(squares / (count - 1)) : 0;
  const halfWidth =
    count > 1
      ? (studentTQuantile(1 - (1 - confidence) / 2, count - 1) * standardDeviationMs) /
        Math.sqrt(count)
      : Number.POSITIVE_INFINITY;
  return {
    count,
    meanMs,
    standardDeviationMs,
    minMs: sorted[0] ?? Number.NaN,
    medianMs: sortedQuantile(sorted, 0.5),
    maxMs: sorted[count - 1] ?? Number.NaN,
    relativeWidth: meanMs > 0 ? (2 * halfWidth) / meanMs : Number.POSITIVE_INFINITY,
  };
}

/** Why a point stopped being repeated. */
export type StopReason = 'confidence' | 'max-repetitions';

/**
 * Whether a point has enough samples under `rule`: `undefined` to go on, else why it stops.
 *
 * @example
 * ```ts
 * repetitionStop([10, 10.1, 9.9], DEFAULT_REPETITION_RULE); // 'confidence'
 * ```
 */
export function repetitionStop(
  samplesMs: readonly number[],
  rule: RepetitionRule,
): StopReason | undefined {
  if (samplesMs.length < rule.minRepetitions) return undefined;
  if (summarizeSamples(samplesMs, rule.confidence).relativeWidth <= rule.relativeWidth) {
    return 'confidence';
  }
  return samplesMs.length >= rule.maxRepetitions ? 'max-repetitions' : undefined;
}
