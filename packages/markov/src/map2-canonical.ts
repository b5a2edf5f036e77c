import type { MarkovianArrivalProcess } from '@mbs/core';

/**
 * The range of the normalised third moment n3 = m3 / (m1 m2) that an order-2 phase-type law
 * reaches for a given n2 = m2 / m1^2 >= 1.5 (Telek & Heindl, "Matching moments for acyclic
 * discrete and continuous phase-type distributions of second order", 2003): for 1.5 <= n2 <= 2,
 * (9 n2 - 12 + 3 sqrt(2) (2 - n2)^1.5) / n2 <= n3 <= 6 (n2 - 1) / n2; for n2 > 2, n3 > 1.5 n2, a
 * bound approached as one phase's mean holding time tends to 0 (so not attained), with no upper
 * bound.
 */
export function thirdMomentBounds(n2: number): { lower: number; upper: number } {
  if (n2 <= 2) {
    return {
      lower: (9 * n2 - 12 + 3 * Math.SQRT2 * Math.max(0, 2 - n2) ** 1.5) / n2,
      upper: (6 * (n2 - 1)) / n2,
    };
  }
  return { lower: 1.5 * n2, upper: Number.POSITIVE_INFINITY };
}

/**
 * The mean holding times of the two phases of the order-2 matrix-exponential law with reduced
 * moments r_k = m_k / k! (m1 = 1): the eigenvalues of M = (-D0)^{-1}, from the recurrence
 * r_{k+2} = tr(M) r_{k+1} - det(M) r_k that Cayley-Hamilton gives. Undefined when the moments
 * are those of an exponential law (order 1) or of no order-2 law with real positive poles.
 */
export function phaseMeans(n2: number, n3: number): readonly [number, number] | undefined {
  const r2 = n2 / 2;
  const r3 = (n3 * n2) / 6;
  const spread = r2 - 1;
  if (Math.abs(spread) < 1e-12) return undefined;
  const trace = (r3 - r2) / spread;
  const determinant = trace - r2;
  const discriminant = trace * trace - 4 * determinant;
  if (!(trace > 0) || !(determinant > 0) || discriminant < -1e-12 * trace * trace) return undefined;
  const root = Math.sqrt(Math.max(0, discriminant));
  return [(trace + root) / 2, (trace - root) / 2];
}

/** Parameters of the canonical MAP(2) of Bodrog, Heindl, Horváth and Telek (2008). */
export interface CanonicalMap2 {
  /** Mean holding times of phase 1 and phase 2 (mean inter-arrival time 1). */
  readonly means: readonly [number, number];
  readonly a: number;
  readonly b: number;
  /** The non-unit eigenvalue of the embedded chain: a b (>= 0 form) or -a b (< 0 form). */
  readonly gamma: number;
}

const inUnit = (value: number) => value >= -1e-12 && value <= 1 + 1e-12;
const clampUnit = (value: number) => Math.min(1, Math.max(0, value));

/**
 * The canonical MAP(2) with mean inter-arrival time 1, the given phase means (so the given
 * marginal law) and correlation decay gamma, or undefined when none exists. For gamma >= 0:
 * d0 = [[-l1, (1-a) l1], [0, -l2]], d1 = [[a l1, 0], [(1-b) l2, b l2]] with a b = gamma; for
 * gamma < 0: d1 = [[0, a l1], [b l2, (1-b) l2]] with a b = -gamma. The mean inter-arrival time is
 * ((1-b) m1 + (1-a) m2) / (1 - a b) in the first form and (b m1 + m2) / (1 + a b) in the second,
 * and both phase orders are tried. Among valid parameters the one farthest from the edges of
 * [0, 1]^2 is kept, as the edges make the phase process reducible.
 */
export function canonicalForGamma(
  phaseMeansInOrder: readonly [number, number],
  gamma: number,
): CanonicalMap2 | undefined {
  const candidates: CanonicalMap2[] = [];
  const [first, second] = phaseMeansInOrder;
  for (const [m1, m2] of [
    [first, second],
    [second, first],
  ] as const) {
    if (gamma >= 0) {
      // b m1 + a m2 = K and a b = gamma  =>  m1 b^2 - K b + gamma m2 = 0.
      const k = m1 + m2 - (1 - gamma);
      const discriminant = k * k - 4 * m1 * m2 * gamma;
      if (discriminant < -1e-12 * k * k) continue;
      const root = Math.sqrt(Math.max(0, discriminant));
      for (const b of [(k + root) / (2 * m1), (k - root) / (2 * m1)]) {
        const a = (k - b * m1) / m2;
        if (inUnit(a) && inUnit(b)) {
          candidates.push({ means: [m1, m2], a: clampUnit(a), b: clampUnit(b), gamma });
        }
      }
    } else {
      const b = (1 - gamma - m2) / m1;
      if (!(b > 0)) continue;
      const a = -gamma / b;
      if (inUnit(a) && inUnit(b)) {
        candidates.push({ means: [m1, m2], a: clampUnit(a), b: clampUnit(b), gamma });
      }
    }
  }
  const margin = (candidate: CanonicalMap2) =>
    Math.min(candidate.a, 1 - candidate.a, candidate.b, 1 - candidate.b);
  return candidates.sort((left, right) => margin(right) - margin(left))[0];
}

/** The MAP of a canonical MAP(2), its rates multiplied by `rate` (mean inter-arrival 1/rate). */
export function canonicalToMap(canonical: CanonicalMap2, rate: number): MarkovianArrivalProcess {
  const { a, b } = canonical;
  const l1 = rate / canonical.means[0];
  const l2 = rate / canonical.means[1];
  if (canonical.gamma >= 0) {
    return {
      d0: [
        [-l1, (1 - a) * l1],
        [0, -l2],
      ],
      d1: [
        [a * l1, 0],
        [(1 - b) * l2, b * l2],
      ],
    };
  }
  return {
    d0: [
      [-l1, (1 - a) * l1],
      [0, -l2],
    ],
    d1: [
      [0, a * l1],
      [b * l2, (1 - b) * l2],
    ],
  };
}
