import { isMbsError } from '@mbs/core';
import type { Argv, CommandModule } from 'yargs';
import type { CommandContext, GlobalOptions } from '../context.js';
import { printResult } from '../context.js';
import { errors } from '../errors.js';
import { stopSignal } from '../stop-signal.js';

/** Arguments of `mbs emulator start`. */
export interface EmulatorStartArguments extends GlobalOptions {
  readonly port: number;
  readonly host: string;
  readonly 'warm-seconds'?: number;
  readonly 'account-concurrency'?: number;
  readonly 'max-instances'?: number;
  readonly isolation?: string;
  readonly 'cpu-scaling': boolean;
  readonly 'reference-vcpu'?: number;
  readonly 'exclude-host-wait': boolean;
  readonly 'bill-init': boolean;
  readonly 'fault-seed'?: number;
  readonly 'fault-throttle-rate'?: number;
  readonly 'fault-error-rate'?: number;
  readonly 'fault-crash-rate'?: number;
  readonly 'fault-extra-latency-ms'?: number;
  readonly 'fault-latency-rate'?: number;
}

/** Emulator option paths and the flags that set them, to name the flag in usage errors. */
const FLAG_OF_OPTION: Readonly<Record<string, string>> = {
  port: '--port',
  host: '--host',
  warmSeconds: '--warm-seconds',
  accountConcurrency: '--account-concurrency',
  minimumUnreservedConcurrency: '--account-concurrency',
  maxInstances: '--max-instances',
  isolation: '--isolation',
  'cpuScaling.referenceVcpu': '--reference-vcpu',
  'faults.seed': '--fault-seed',
  'faults.throttleRate': '--fault-throttle-rate',
  'faults.errorRate': '--fault-error-rate',
  'faults.crashRate': '--fault-crash-rate',
  'faults.extraLatencyMs': '--fault-extra-latency-ms',
  'faults.latencyRate': '--fault-latency-rate',
};

function defined<T extends Record<string, unknown>>(
  value: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

/** Resolves when the process is asked to stop (SIGINT or SIGTERM). */
function serverOptions(argv: EmulatorStartArguments) {
  const faults = defined({
    seed: argv['fault-seed'],
    throttleRate: argv['fault-throttle-rate'],
    errorRate: argv['fault-error-rate'],
    crashRate: argv['fault-crash-rate'],
    extraLatencyMs: argv['fault-extra-latency-ms'],
    latencyRate: argv['fault-latency-rate'],
  });
  if (!argv['cpu-scaling'] && argv['reference-vcpu'] !== undefined) {
    throw errors.error(
      'OPTION_INVALID',
      '--reference-vcpu needs CPU scaling; drop --no-cpu-scaling',
    );
  }
  return {
    port: argv.port,
    host: argv.host,
    billInitPhase: argv['bill-init'],
    cpuScaling: argv['cpu-scaling']
      ? defined({
          referenceVcpu: argv['reference-vcpu'],
          excludeHostWait: argv['exclude-host-wait'],
        })
      : (false as const),
    ...defined({
      warmSeconds: argv['warm-seconds'],
      accountConcurrency: argv['account-concurrency'],
      maxInstances: argv['max-instances'],
      isolation: argv.isolation as 'process' | 'thread' | undefined,
    }),
    ...(Object.keys(faults).length > 0 ? { faults } : {}),
  };
}

/** `mbs emulator start`: serves the Lambda and CloudWatch Logs APIs locally until stopped. */
export function emulatorCommand(
  context: CommandContext,
): CommandModule<GlobalOptions, EmulatorStartArguments> {
  return {
    command: 'emulator <action>',
    describe: 'Run the local Lambda emulator (Lambda + CloudWatch Logs APIs on 127.0.0.1)',
    builder: (yargs: Argv<GlobalOptions>) =>
      yargs
        .positional('action', {
          choices: ['start'] as const,
          describe: 'start: serve until SIGINT/SIGTERM',
        })
        // 9001 stays the default (SDK configs and scripts point at it) and is refused, never
        // moved, when taken. A fixed port is no risk by itself: the server answers no browser
        // request (Origin, content type, preflight), no foreign Host, nothing unsigned.
        .option('port', {
          type: 'number',
          default: 9001,
          describe: 'TCP port; refused if taken (0 picks a free one)',
        })
        .option('host', {
          type: 'string',
          default: '127.0.0.1',
          describe: 'Interface to bind (loopback by default; any other lets the network run code)',
        })
        .option('warm-seconds', {
          type: 'number',
          describe: 'How long idle instances stay warm [default: 300]',
        })
        .option('account-concurrency', {
          type: 'number',
          describe: 'Account concurrency limit [default: 1000]',
        })
        .option('max-instances', {
          type: 'number',
          describe:
            'Most instance processes at once; more invocations wait [default: 2 x cores, >= 4]',
        })
        .option('isolation', {
          type: 'string',
          choices: ['process', 'thread'],
          describe: 'Where instances run [default: process]',
        })
        .option('cpu-scaling', {
          type: 'boolean',
          default: true,
          describe: 'Scale handler time by vCPU(memory) (--no-cpu-scaling: off)',
        })
        .option('reference-vcpu', {
          type: 'number',
          describe: 'vCPUs this machine counts as per handler [default: 1]',
        })
        .option('exclude-host-wait', {
          type: 'boolean',
          default: true,
          describe:
            "Leave a handler's waits for a busy host core out of Duration (--no-exclude-host-wait: wall time)",
        })
        .option('bill-init', {
          type: 'boolean',
          default: true,
          describe: 'Bill Init Duration on cold starts (Lambda since Aug 2025)',
        })
        .option('fault-seed', { type: 'number', describe: 'Seed of injected faults [default: 1]' })
        .option('fault-throttle-rate', {
          type: 'number',
          describe: 'Share of invocations throttled (429)',
        })
        .option('fault-error-rate', {
          type: 'number',
          describe: 'Share of invocations failed with a function error',
        })
        .option('fault-crash-rate', {
          type: 'number',
          describe: 'Share of invocations whose instance crashes',
        })
        .option('fault-extra-latency-ms', {
          type: 'number',
          describe: 'Extra latency added to answers, in ms',
        })
        .option('fault-latency-rate', {
          type: 'number',
          describe: 'Share of invocations that get the extra latency [default: 1]',
        }) as unknown as Argv<EmulatorStartArguments>,
    handler: async (argv) => {
      const { startEmulatorServer } = await import('@mbs/lambda-emulator');
      let server: Awaited<ReturnType<typeof startEmulatorServer>>;
      try {
        server = await startEmulatorServer(serverOptions(argv));
      } catch (error) {
        const option = isMbsError(error, 'OPTION_INVALID')
          ? String(error.details.option ?? '')
          : '';
        const flag = FLAG_OF_OPTION[option];
        if (flag === undefined || !isMbsError(error)) throw error;
        const problem = error.message.replace(/^\[@mbs\/lambda-emulator\] option [^:]+: /, '');
        throw errors.error('OPTION_INVALID', `${flag}: ${problem}`, {
          cause: error,
          details: { option: flag },
        });
      }
      const stopping = stopSignal();
      if (!server.loopback) {
        context.io.stderr(
          `WARNING: mbs emulator listens on ${server.host}:${server.port}, not on loopback. Anyone who can reach this address can create functions and run code on this machine.\n`,
        );
      }
      const { url, port, host, loopback } = server;
      printResult(context, argv, { url, port, host, loopback }, () =>
        [
          `Lambda emulator listening on ${server.url}`,
          `  SDK clients: endpoint ${server.url}, region us-east-1, any credentials`,
          '  Stop with Ctrl-C (SIGINT) or SIGTERM.',
          '',
        ].join('\n'),
      );
      const signal = await stopping;
      context.io.stderr(`mbs emulator: ${signal} received, stopping\n`);
      await server.close();
    },
  };
}
