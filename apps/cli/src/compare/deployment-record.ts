import { createHash } from 'node:crypto';
import type { ConfigurationDocument } from '@mbs/core';

// What `mbs deploy` writes into each function's environment (the emulator and Lambda both keep
// environment variables; the emulator has no tags), so that a run's records can later be told
// which package served them and which profile its configuration was solved with.

/** Environment variable: the deployed package, `sha256:<hex of the zip>` (as `mbs profile` names code). */
export const DEPLOYED_PACKAGE_VARIABLE = 'MBS_DEPLOYED_PACKAGE';
/** Environment variable: the profile the deployed configuration was solved with, `<name>[@sha256:<hex>]`. */
export const DEPLOYED_PROFILE_VARIABLE = 'MBS_DEPLOYED_PROFILE';

/** What a deployed function's environment says about its package and its configuration's profile. */
export interface DeploymentRecord {
  /** `sha256:<64 hex>` of the deployment zip. */
  readonly package?: string;
  /** The configuration's profile: its name, and `@sha256:<hex>` for a profile file. */
  readonly profile?: string;
}

/** `sha256:<hex>` of a deployment package's bytes, the form `mbs profile` records as `code`. */
export function packageCode(zipFile: Uint8Array): string {
  return `sha256:${createHash('sha256').update(zipFile).digest('hex')}`;
}

/** The configuration's profile as one string: `parametric`, or `measured@sha256:<hex>` for a file. */
export function profileLabel(
  config: Pick<ConfigurationDocument, 'profile' | 'profileSource'>,
): string {
  const name = config.profile ?? 'parametric';
  return config.profileSource?.kind === 'file'
    ? `${name}@sha256:${config.profileSource.sha256}`
    : name;
}

/**
 * The environment `mbs deploy` gives every function of a configuration: the package it deploys
 * and the profile the configuration was solved with.
 *
 * @example
 * ```ts
 * deploy(config, { ...settings, zipFile, environment: deploymentEnvironment(config, zipFile) });
 * ```
 */
export function deploymentEnvironment(
  config: Pick<ConfigurationDocument, 'profile' | 'profileSource'>,
  zipFile: Uint8Array,
): Record<string, string> {
  return {
    [DEPLOYED_PACKAGE_VARIABLE]: packageCode(zipFile),
    [DEPLOYED_PROFILE_VARIABLE]: profileLabel(config),
  };
}

/** The deployment record in a function's environment variables (empty when deployed otherwise). */
export function deploymentRecordOf(
  environment: Readonly<Record<string, string>> | undefined,
): DeploymentRecord {
  const packageValue = environment?.[DEPLOYED_PACKAGE_VARIABLE];
  const profile = environment?.[DEPLOYED_PROFILE_VARIABLE];
  return {
    ...(packageValue === undefined ? {} : { package: packageValue }),
    ...(profile === undefined ? {} : { profile }),
  };
}
