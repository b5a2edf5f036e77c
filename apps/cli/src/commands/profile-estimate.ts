import type { ServiceTimeProfile } from '@mbs/core';
import {
  createParametricProfile,
  type PlannedPoint,
  type ProfilePlan,
  readMbsProfile,
} from '@mbs/profiles';

// What the price estimate of `mbs profile` assumes each invocation takes.

/** The profile whose times the price estimate assumes: --prior, else the parametric profile. */
export async function priorProfile(prior: string | undefined, plan: ProfilePlan) {
  if (prior !== undefined) {
    const profile = await readMbsProfile(prior);
    return { profile, name: prior };
  }
  // The parametric law wants distinct sizes; clamped classes share their size.
  const sizes = plan.grid.classSizes.map((size, index) => size + index * 1e-9);
  const profile = createParametricProfile({
    representativeSizes: sizes,
    maxBatchSize: plan.grid.batchSizes.at(-1)!,
  });
  return {
    profile,
    name: 'the parametric profile (give --prior profile.json for a better estimate)',
  };
}

/** Expected duration of a point in ms: the prior's time, clamped to what it covers. */
export function expectedDurationMs(profile: ServiceTimeProfile) {
  return (point: PlannedPoint) => {
    const classIndex = Math.min(point.classIndex, profile.classCount - 1);
    const batchSize = Math.min(point.batchSize, profile.maxBatchSize);
    const memoryMb = Math.min(
      Math.max(point.memoryMb, profile.memoryRangeMb.min),
      profile.memoryRangeMb.max,
    );
    return profile.serviceTimeSeconds(memoryMb, classIndex, batchSize) * 1000;
  };
}
