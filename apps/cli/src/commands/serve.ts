import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import type { CommandContext, GlobalOptions } from '../context.js';
import { printResult } from '../context.js';
import { errors } from '../errors.js';
import { createInvokingProvider } from '../invoking-provider.js';
import {
  type ConfigurationOption,
  configurationOptionBuilder,
  readConfigurationFile,
} from '../options/document-options.js';
import { type ProviderOptions, providerOptionsBuilder } from '../options/provider-options.js';
import { type PricingOption, pricingOptionBuilder, resolvePricing } from '../resolvers/pricing.js';
import { SERVE_DOCUMENT_FILE, type ServeDocument } from '../serve/serve-document.js';
import {
  checkPortOption,
  ownedBuffersOption,
  readAdminToken,
  type ServeLimitOptions,
  serveLimits,
} from '../serve/serve-options.js';
import { stopSignal } from '../stop-signal.js';

/** Arguments of `mbs serve`. */
export interface ServeArguments
  extends GlobalOptions,
    ConfigurationOption,
    ProviderOptions,
    PricingOption,
    ServeLimitOptions {
  readonly host: string;
  readonly port: number;
  readonly records?: string;
  readonly buffers?: string;
  readonly 'admin-token-file'?: string;
  readonly 'retry-after': number;
  readonly schedule: boolean;
  readonly seed?: number;
  readonly 'log-level'?: string;
}

async function openRecords(directory: string | undefined) {
  if (directory === undefined) return undefined;
  try {
    await mkdir(directory, { recursive: true });
  } catch (error) {
    throw errors.error(
      'IO',
      `--records ${directory}: cannot create the directory (${(error as Error).message})`,
      { cause: error, details: { option: '--records' } },
    );
  }
  const { createJsonLinesWriter } = await import('@mbs/batcher');
  return {
    requests: createJsonLinesWriter(join(directory, 'requests.jsonl')),
    batches: createJsonLinesWriter(join(directory, 'batches.jsonl')),
  };
}

/**
 * `mbs serve`: the HTTP front door (`@mbs/server`) over the deployed functions, until SIGINT or
 * SIGTERM (drain, exit 0); SIGHUP reloads the configuration file.
 */
export function serveCommand(
  context: CommandContext,
): CommandModule<GlobalOptions, ServeArguments> {
  return {
    command: 'serve',
    describe:
      'Serve inference over HTTP (POST /v1/infer) through the buffers of a configuration, against the deployed functions',
    builder: (yargs: Argv<GlobalOptions>) =>
      pricingOptionBuilder(
        providerOptionsBuilder(
          configurationOptionBuilder(
            yargs,
            'Configuration document (mbs solve --out), as deployed with mbs deploy; SIGHUP reloads it',
          ),
          'Lambda',
          context.plugins,
        ),
        context.plugins,
        "the configuration's, else aws-x86; prices batch records and /metrics cost",
      )
        .option('host', {
          type: 'string',
          default: '127.0.0.1',
          describe: 'Interface to bind (loopback by default)',
        })
        .option('port', {
          type: 'number',
          default: 8080,
          describe: 'TCP port (0 picks a free one)',
        })
        .option('records', {
          type: 'string',
          describe:
            'Directory for requests.jsonl, batches.jsonl and serve.json (what mbs logs summarize reads)',
        })
        .option('buffers', {
          type: 'string',
          describe:
            'Serve only these buffers (comma-separated), for front ends split by size class behind an L7 balancer',
        })
        .option('max-queued-per-buffer', {
          type: 'number',
          describe: 'Requests one buffer may hold before 429 [default: 1000]',
        })
        .option('max-in-flight-requests', {
          type: 'number',
          describe: 'Requests accepted and not yet answered before 429 [default: 10000]',
        })
        .option('max-in-flight-invocations', {
          type: 'number',
          describe: 'Invocations in flight in total [default: 1000]',
        })
        .option('max-in-flight-per-buffer', {
          type: 'number',
          describe: 'Invocations in flight per buffer [default: unlimited]',
        })
        .option('admin-token-file', {
          type: 'string',
          describe:
            'Enable PUT /admin/configuration, guarded by the bearer token in this file (off by default)',
        })
        .option('retry-after', {
          type: 'number',
          default: 1,
          describe: 'Seconds a 429 or 503 asks the client to wait (Retry-After)',
        })
        .option('schedule', {
          type: 'boolean',
          default: true,
          describe:
            "Follow the configuration's window schedule (seconds after start); --no-schedule keeps the first window",
        })
        .option('seed', {
          type: 'number',
          describe: 'Seed of split-class routing and retry jitter',
        })
        .option('log-level', {
          type: 'string',
          choices: ['fatal', 'error', 'warn', 'info', 'debug'],
          describe: 'Structured (JSON) request log on stderr at this level [default: none]',
        }) as unknown as Argv<ServeArguments>,
    handler: async (argv) => {
      checkPortOption(argv.port);
      const limits = serveLimits(argv);
      const ownedBuffers = ownedBuffersOption(argv.buffers);
      const adminToken = await readAdminToken(argv['admin-token-file']);
      const config = await readConfigurationFile(argv.config);
      const pricing = await resolvePricing(context.plugins, argv.pricing, [
        { name: config.pricing, from: argv.config },
      ]);
      const { provider } = await createInvokingProvider(context.plugins, argv, 'mbs serve');
      const records = await openRecords(argv.records);
      const { createMbsServer } = await import('@mbs/server');
      const startEpochMs = Date.now();
      const server = createMbsServer({
        config,
        provider,
        pricing,
        functionNamePrefix: argv.prefix,
        limits,
        retryAfterSeconds: argv['retry-after'],
        followSchedule: argv.schedule,
        ...(ownedBuffers === undefined ? {} : { ownedBuffers }),
        ...(adminToken === undefined ? {} : { adminToken }),
        ...(argv.seed === undefined ? {} : { seed: argv.seed }),
        ...(argv['log-level'] === undefined
          ? {}
          : { logger: { level: argv['log-level'], stream: process.stderr } }),
        ...(records === undefined
          ? {}
          : { onRequestRecord: records.requests.write, onBatchRecord: records.batches.write }),
      });
      const stopping = stopSignal();
      let url: string;
      try {
        url = await server.listen({ host: argv.host, port: argv.port });
      } catch (error) {
        await server.close();
        throw errors.error(
          'IO',
          `mbs serve cannot listen on ${argv.host}:${argv.port} (${(error as Error).message}); pick another --port`,
          { cause: error, details: { option: '--port' } },
        );
      }
      let reloads = 0;
      const reload = () => {
        readConfigurationFile(argv.config)
          .then((document) => {
            server.reconfigure(document, argv.config);
            reloads++;
            context.io.stderr(`mbs serve: SIGHUP: reloaded ${argv.config}\n`);
          })
          .catch((error: unknown) => {
            context.io.stderr(
              `mbs serve: SIGHUP: kept the configuration in force; ${(error as Error).message}\n`,
            );
          });
      };
      process.on('SIGHUP', reload);
      printResult(context, argv, { url }, () =>
        [
          `mbs serve listening on ${url}`,
          `  POST ${url}/v1/infer  GET /healthz /readyz /metrics /v1/routes${adminToken === undefined ? '' : '  PUT /admin/configuration'}`,
          '  SIGTERM or Ctrl-C drains and stops; SIGHUP reloads the configuration.',
          '',
        ].join('\n'),
      );
      const signal = await stopping;
      process.off('SIGHUP', reload);
      context.io.stderr(`mbs serve: ${signal} received: draining\n`);
      await server.close();
      await provider.dispose?.();
      const counts = server.counts();
      if (records !== undefined) {
        await Promise.all([records.requests.close(), records.batches.close()]);
        const document: ServeDocument = {
          schema: 'mbs.serve',
          version: 1,
          url,
          configPath: argv.config,
          provider: argv.provider,
          ...(argv.endpoint === undefined ? {} : { endpoint: argv.endpoint }),
          prefix: argv.prefix,
          pricing: pricing.name,
          ...(ownedBuffers === undefined ? {} : { ownedBuffers }),
          startEpochMs,
          endEpochMs: Date.now(),
          reloads,
          counts: {
            answeredByStatus: counts.answeredByStatus,
            submitted: counts.submitted,
            resolved: counts.resolved,
            rejected: counts.rejected,
            cancelled: counts.cancelled,
            requestRecords: records.requests.linesWritten(),
            batchRecords: records.batches.linesWritten(),
          },
        };
        await writeFile(
          join(argv.records!, SERVE_DOCUMENT_FILE),
          `${JSON.stringify(document, null, 2)}\n`,
          'utf8',
        );
      }
      context.io.stderr(
        `mbs serve: stopped; ${counts.submitted} requests reached the buffers: ${counts.resolved} served, ${counts.rejected} refused or failed (${counts.cancelled} withdrawn)\n`,
      );
    },
  };
}
