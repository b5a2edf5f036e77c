import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ConfigurationDocument, ProfileSource, ServiceTimeProfile } from '@mbs/core';
import type { Argv } from 'yargs';
import { errors } from '../errors.js';
import { optionError } from '../options/option-error.js';
import type { CliPlugins } from '../plugin-loading/cli-plugins.js';
import { type ClassFrame, classIndexFrame } from './classes.js';
import { readProfileMeasurement } from './profile-measurement.js';

// The one way every command resolves `--profile`: a registered profile plugin by name
// (`parametric` is built over the workload's classes), else an MBS-format JSON file. A
// configuration records which it was (`profileSource`), so it can be replayed without --profile.

/** The built-in profile that is built over the workload's own classes. */
export const PARAMETRIC_PROFILE = 'parametric';

/** A profile chosen by name or file, before the workload's classes are known. */
export interface ProfileChoice {
  /** Name the configuration records (the plugin's, or the file's profile name). */
  readonly name: string;
  /** Where it came from, recorded in the configuration. */
  readonly source: ProfileSource;
  /** The classes a MAP workload gets with this profile: its own, one size per class. */
  readonly frame: ClassFrame;
  /** The profile for a workload with these class sizes (only `parametric` depends on them). */
  forClasses(representativeSizes: readonly number[]): Promise<ServiceTimeProfile>;
}

/** Value of `--profile`. */
export interface ProfileOption {
  readonly profile?: string;
}

/** Adds `--profile` to a command, naming the registered profiles in its help. */
export function profileOptionBuilder<T>(
  yargs: Argv<T>,
  plugins: CliPlugins,
  defaultText: string,
): Argv<T & ProfileOption> {
  return yargs.option('profile', {
    type: 'string',
    describe: `Service-time profile: ${plugins.names('profile').join(', ')} (registered), or an MBS-format JSON file (default: ${defaultText})`,
  }) as unknown as Argv<T & ProfileOption>;
}

/** SHA-256 of a file's bytes, lowercase hex. */
async function fileSha256(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

async function isReadableFile(path: string): Promise<boolean> {
  try {
    await readFile(path);
    return true;
  } catch {
    return false;
  }
}

function fixedChoice(profile: ServiceTimeProfile, source: ProfileSource): ProfileChoice {
  return {
    name: profile.name,
    source,
    frame: classIndexFrame(profile.classCount),
    forClasses: async () => profile,
  };
}

async function parametricChoice(): Promise<ProfileChoice> {
  const { createParametricProfile, DEFAULT_PARAMETRIC_PROFILE } = await import('@mbs/profiles');
  const sizes = DEFAULT_PARAMETRIC_PROFILE.representativeSizes;
  return {
    name: PARAMETRIC_PROFILE,
    source: { kind: 'plugin' },
    frame: { upperEdges: sizes, representativeSizes: sizes },
    forClasses: async (representativeSizes) => createParametricProfile({ representativeSizes }),
  };
}

/** Told about a profile read with a note (e.g. noisy dips raised to be monotone in batch size). */
export type ProfileWarning = (message: string) => void;

async function fileChoice(path: string, onWarning?: ProfileWarning): Promise<ProfileChoice> {
  const { readMbsProfile } = await import('@mbs/profiles');
  const [profile, sha256, measured] = await Promise.all([
    readMbsProfile(path, onWarning === undefined ? {} : { onWarning }),
    fileSha256(path),
    readProfileMeasurement(path),
  ]);
  return fixedChoice(profile, {
    kind: 'file',
    path: resolve(path),
    sha256,
    ...(measured === undefined ? {} : { measured }),
  });
}

/** A registered profile by name; `parametric` is rebuilt for each workload's classes. */
async function pluginChoice(
  plugins: CliPlugins,
  name: string,
  option: string,
): Promise<ProfileChoice> {
  if (name === PARAMETRIC_PROFILE) return parametricChoice();
  return fixedChoice(await plugins.load('profile', name, option), { kind: 'plugin' });
}

/**
 * The profile `--profile` names: a registered profile (`parametric` by default), else a readable
 * MBS-format JSON file; OPTION_INVALID naming the value otherwise.
 *
 * @example
 * ```ts
 * const choice = await resolveProfile(context.plugins, argv.profile);
 * const profile = await choice.forClasses(workload.classRepresentativeSizes);
 * ```
 */
export async function resolveProfile(
  plugins: CliPlugins,
  value: string | undefined,
  option = '--profile',
  onWarning?: ProfileWarning,
): Promise<ProfileChoice> {
  const name = value ?? PARAMETRIC_PROFILE;
  if (plugins.has('profile', name)) return pluginChoice(plugins, name, option);
  if (await isReadableFile(name)) return fileChoice(name, onWarning);
  throw optionError(
    option,
    `${name}: neither a registered profile (${plugins.names('profile').join(', ')}) nor a readable MBS profile file`,
    name,
  );
}

/**
 * The profile a configuration was solved with, as it recorded it: its file (refused when missing
 * or changed since, by SHA-256), or its registered plugin. A configuration from before profile
 * sources were recorded names only the profile: a registered name or a readable file of that name
 * is used, else the error asks for `--profile`.
 *
 * @param configPath - the configuration's file, for messages
 */
export async function configurationProfile(
  plugins: CliPlugins,
  config: ConfigurationDocument,
  configPath: string,
  onWarning?: ProfileWarning,
): Promise<ProfileChoice> {
  const { profile, profileSource } = config;
  if (profile === undefined) return parametricChoice();
  if (profileSource?.kind === 'file') {
    const { path, sha256 } = profileSource;
    let now: string;
    try {
      now = await fileSha256(path);
    } catch (error) {
      throw errors.error(
        'IO',
        `${configPath} was solved with the profile file ${path}, which cannot be read now (${(error as { code?: string }).code ?? error}); pass --profile FILE`,
        { cause: error, details: { config: configPath, path } },
      );
    }
    if (now !== sha256) {
      throw errors.error(
        'CONFIG_INVALID',
        `${configPath} was solved with the profile file ${path}, which has changed since (sha256 ${sha256.slice(0, 12)}... then, ${now.slice(0, 12)}... now); pass --profile ${path} to use it as it is now`,
        { details: { config: configPath, path, recorded: sha256, now } },
      );
    }
    return fileChoice(path, onWarning);
  }
  const option = `${configPath} profile`;
  if (profileSource?.kind === 'plugin' || plugins.has('profile', profile)) {
    return pluginChoice(plugins, profile, option);
  }
  if (await isReadableFile(profile)) return fileChoice(profile, onWarning);
  throw errors.error(
    'CONFIG_INVALID',
    `${configPath} names the profile "${profile}" but not where it came from (written before mbs solve recorded profile sources), and no registered profile has that name; pass --profile`,
    { details: { config: configPath, profile } },
  );
}
