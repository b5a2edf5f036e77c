import { describe, expect, it } from 'vitest';
import { DEFAULT_HOLDOUT_CONFIDENCE, verifyConfidenceOf } from './solve-options.js';

describe('verifyConfidenceOf', () => {
  const holdout = { verifyHoldout: 0.5, verifyMargin: 0 };

  it('bounds a held-out check at the default confidence when none is given', () => {
    expect(DEFAULT_HOLDOUT_CONFIDENCE).toBe(0.99);
    expect(verifyConfidenceOf(holdout, true)).toBe(DEFAULT_HOLDOUT_CONFIDENCE);
  });

  it('lets --verify-confidence override it, and 0 drop the bound', () => {
    expect(verifyConfidenceOf({ ...holdout, verifyConfidence: 0.9 }, true)).toBe(0.9);
    expect(verifyConfidenceOf({ ...holdout, verifyConfidence: 0 }, true)).toBeUndefined();
    expect(verifyConfidenceOf({ verifyMargin: 0, verifyConfidence: 0.95 }, true)).toBe(0.95);
  });

  it('gives no default to plain --verify, to --verify-margin or to a cost budget', () => {
    expect(verifyConfidenceOf({ verifyMargin: 0 }, true)).toBeUndefined();
    expect(verifyConfidenceOf({ ...holdout, verifyMargin: 1 }, true)).toBeUndefined();
    expect(verifyConfidenceOf(holdout, false)).toBeUndefined();
  });
});
