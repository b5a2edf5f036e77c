import { formatSeconds, type PricingModel, type ServiceTimeProfile } from '@mbs/core';
import { latencyFloor, type SearchBounds, underFloor } from '@mbs/optimizer';
import type { ClassedWorkload } from '@mbs/traces';
import { percentileLabel } from './solve-tables.js';

/** What the floor notice needs besides the classes: the solve's grid, prices and constraint. */
export interface FloorNoticeInputs {
  readonly profile: ServiceTimeProfile;
  readonly pricing: PricingModel;
  readonly bounds: SearchBounds;
  readonly percentile: number;
  readonly perSize: boolean;
  readonly sloSeconds: number;
}

/**
 * "every class at 10240 MB", "classes 0..3 at 3008 MB, 4..7 at 10240 MB", or for more than four
 * runs of classes sharing a memory (measured profiles), "each class at its fastest memory (3072 to
 * 6912 MB)".
 */
function describeMemories(memoriesMb: readonly number[]): string {
  const runs: string[] = [];
  let first = 0;
  for (let classId = 1; classId <= memoriesMb.length; classId++) {
    if (classId < memoriesMb.length && memoriesMb[classId] === memoriesMb[first]) continue;
    const classes = classId - 1 === first ? `${first}` : `${first}..${classId - 1}`;
    runs.push(`${classes} at ${memoriesMb[first]} MB`);
    first = classId;
  }
  if (runs.length === 1) return `every class at ${memoriesMb[0]} MB`;
  if (runs.length <= 4) return `classes ${runs.join(', ')}`;
  return `each class at its fastest memory (${Math.min(...memoriesMb)} to ${Math.max(...memoriesMb)} MB)`;
}

/**
 * The lines `mbs solve` prints as soon as a trace is classed, before its arrivals are fitted: for
 * each window whose SLO is under the latency floor (no configuration of the grid reaches it, known
 * from service times alone), the best achievable percentile and the configuration that reaches
 * it (batches of one at each class's fastest memory). The search that follows still looks for the
 * cheapest configuration at that percentile, and the exit code stays that of an infeasible solve.
 * Empty when every window's SLO is at or above its floor.
 */
export function floorNotices(classed: ClassedWorkload, inputs: FloorNoticeInputs): string[] {
  const label = percentileLabel(inputs.percentile, inputs.perSize);
  const lines: string[] = [];
  for (const [index, window] of classed.windows.entries()) {
    const problem = {
      profile: inputs.profile,
      pricing: inputs.pricing,
      bounds: inputs.bounds,
      classShares: window.classShares,
      classRepresentativeSizes: classed.classRepresentativeSizes,
      percentile: inputs.percentile,
      perSize: inputs.perSize,
    };
    const floor = latencyFloor(problem);
    if (!underFloor(problem, floor, inputs.sloSeconds)) continue;
    const where =
      classed.windows.length > 1 ? ` in window ${index + 1}/${classed.windows.length}` : '';
    const ones = floor.batchesOfOne;
    // Batches of one reach the floor on any profile whose batches get slower as they grow.
    const reached =
      ones.percentileSeconds <= floor.percentileSeconds * (1 + 1e-6)
        ? `reached without batching (B = 1), ${describeMemories(ones.memoriesMb)}`
        : `no configuration does better (B = 1, ${describeMemories(ones.memoriesMb)}, reaches ${formatSeconds(ones.percentileSeconds)})`;
    lines.push(
      `mbs: infeasible${where}: the SLO ${formatSeconds(inputs.sloSeconds)} is under the latency floor; the best achievable ${label} is ${formatSeconds(floor.percentileSeconds)}, ${reached}; searching for the cheapest configuration at that ${label}`,
    );
  }
  return lines;
}
