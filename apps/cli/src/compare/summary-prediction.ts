import type {
  ConfigurationDocument,
  ConfigurationPrediction,
  PricingModel,
  RequestRecord,
  ServiceTimeProfile,
} from '@mbs/core';
import { formatSeconds } from '@mbs/core';
import type { CliPlugins } from '../plugin-loading/cli-plugins.js';
import { configurationProfile } from '../resolvers/profile.js';
import { readDeployedFunctions } from './deployed-functions.js';
import { type OfferedLoad, offeredClassShares, offeredLoad } from './offered-load.js';
import { type OfferedPrediction, offeredPrediction } from './offered-prediction.js';
import { checkPredictionProfile, type ProfileCheck } from './profile-check.js';

/** What the records' producer (`mbs run`'s run.json or `mbs serve`'s serve.json) tells. */
export interface RecordsOrigin {
  /** `mbs run` or `mbs serve`. */
  readonly command: 'mbs run' | 'mbs serve';
  readonly provider?: string;
  readonly endpoint?: string;
  readonly region?: string;
  /** The functions that served the records. */
  readonly functionNames: readonly string[];
  /** With `mbs run`: the replay's speed and replayed trace span. */
  readonly replay?: { readonly speed: number; readonly traceSpanSeconds: number };
  /** With `mbs run`: how many windows the replay applied (one prediction covers one). */
  readonly windowsApplied?: number;
}

/** What {@link summaryPrediction} needs. */
export interface SummaryPredictionInput {
  readonly plugins: CliPlugins;
  readonly config: ConfigurationDocument;
  /** The configuration's file (or the run document holding it), for messages. */
  readonly configPath: string;
  readonly window: number;
  readonly requests: readonly RequestRecord[];
  readonly pricing: PricingModel;
  readonly origin?: RecordsOrigin;
  /** Whether to read the deployed functions' environment (off in tests without a provider). */
  readonly readDeployment?: boolean;
}

/** The prediction a run is compared with, how it was made, and the profile's verdict. */
export interface SummaryPrediction {
  /** What to compare with: re-evaluated for the offered load, else the stored one. */
  readonly prediction: ConfigurationPrediction | undefined;
  /** How it was obtained, one line ("prediction: window 0 at speed 60x (...)"). */
  readonly label: string;
  readonly offered?: OfferedLoad;
  readonly reevaluated?: OfferedPrediction;
  /** The profile the re-evaluated prediction used, for the configuration's classes. */
  readonly profileModel?: ServiceTimeProfile;
  /** Why the stored prediction had to be used, when it was. */
  readonly notReevaluated?: string;
  readonly profile: ProfileCheck;
  /** Why the deployed functions could not be checked, when they could not. */
  readonly deploymentProblem?: string;
}

const rate = (value: number) => `${value.toFixed(value >= 100 ? 0 : value >= 10 ? 1 : 2)} req/s`;

function describeLoad(offered: OfferedLoad, reevaluated: OfferedPrediction): string {
  const { window } = reevaluated;
  const head =
    offered.speed === undefined
      ? `window ${window} at the offered rate (${rate(offered.ratePerSecond)}: ${offered.requests} requests over ${formatSeconds(offered.spanSeconds)})`
      : `window ${window} at speed ${offered.speed}x (rate ${rate(offered.ratePerSecond)}: ${offered.requests} requests over ${formatSeconds(offered.traceSpanSeconds ?? 0)} of trace)`;
  const mix = reevaluated.offeredClassMix ? ', class mix of the requests offered' : '';
  return `${head}; solved for ${rate(reevaluated.windowRatePerSecond)}, MAP scaled x${reevaluated.timeScale.toPrecision(4)}${mix}`;
}

/**
 * The prediction `mbs logs summarize` compares a run with: the model evaluated again for the load
 * the run offered ({@link offeredPrediction}: the window's MAP scaled to the run's speed and the
 * replayed span's rate), named in one line with the profile; the stored prediction, with the
 * reason, when the configuration does not record its arrivals or its profile cannot be found. The
 * profile is checked against the functions that served the run ({@link checkPredictionProfile}).
 */
export async function summaryPrediction(input: SummaryPredictionInput): Promise<SummaryPrediction> {
  const { config, window, origin } = input;
  const stored = config.windows[window]?.prediction;
  const profileName = config.profile ?? 'parametric';
  let deploymentProblem: string | undefined;
  let deployed: Awaited<ReturnType<typeof readDeployedFunctions>> | undefined;
  if (origin?.provider !== undefined && input.readDeployment !== false) {
    deployed = await readDeployedFunctions({
      provider: origin.provider,
      functionNames: [...new Set(origin.functionNames)],
      ...(origin.endpoint === undefined ? {} : { endpoint: origin.endpoint }),
      ...(origin.region === undefined ? {} : { region: origin.region }),
    });
    if ('problem' in deployed) deploymentProblem = deployed.problem;
  }
  const profile = checkPredictionProfile({
    config,
    ...(origin?.provider === undefined ? {} : { provider: origin.provider }),
    ...(origin?.endpoint === undefined ? {} : { endpoint: origin.endpoint }),
    ...(deployed !== undefined && 'deployed' in deployed ? { deployed: deployed.deployed } : {}),
  });
  const common = { profile, ...(deploymentProblem === undefined ? {} : { deploymentProblem }) };
  const offered = offeredLoad(input.requests, origin?.replay);
  const keepStored = (reason: string): SummaryPrediction => ({
    ...common,
    prediction: stored,
    label: `prediction: window ${window} as solved (not re-evaluated: ${reason}), profile ${profileName}`,
    notReevaluated: reason,
    ...(offered === undefined ? {} : { offered }),
  });
  if (offered === undefined) return keepStored('fewer than two requests give no offered rate');
  if (config.windows[window]?.workload === undefined) {
    return keepStored(
      'the configuration does not record the arrival process it was solved for (written before mbs solve did); solve it again to compare at the offered load',
    );
  }
  let reevaluated: OfferedPrediction | undefined;
  let profileModel: ServiceTimeProfile;
  try {
    const choice = await configurationProfile(input.plugins, config, input.configPath);
    profileModel = await choice.forClasses(
      config.classRepresentativeSizes ?? config.classUpperEdges,
    );
    const shares = offeredClassShares(input.requests, config.classUpperEdges.length);
    reevaluated = offeredPrediction({
      config,
      window,
      offered,
      profile: profileModel,
      pricing: input.pricing,
      ...(shares === undefined ? {} : { offeredClassShares: shares }),
    });
  } catch (error) {
    return keepStored((error as Error).message);
  }
  if (reevaluated === undefined) return keepStored('the window records no arrival process');
  const crossed = (origin?.windowsApplied ?? 1) - 1;
  const windowsNote =
    crossed > 0
      ? ` (the run crossed ${crossed} more window(s); this prediction is window ${window}'s alone)`
      : '';
  return {
    ...common,
    prediction: reevaluated.prediction,
    label: `prediction: ${describeLoad(offered, reevaluated)}; profile ${profileName}${windowsNote}`,
    offered,
    reevaluated,
    profileModel,
  };
}
