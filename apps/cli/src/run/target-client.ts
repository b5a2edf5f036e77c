import { Buffer } from 'node:buffer';
import { Agent, request as httpRequest } from 'node:http';
import type { RoutesAnswer } from '@mbs/server';
import { errors } from '../errors.js';
import { optionError } from '../options/option-error.js';

/** One answer of a front end as the client saw it. */
export interface TargetAnswer {
  /** HTTP status, or the transport error's code (ECONNRESET, ECONNREFUSED...) when none came. */
  readonly status: string;
  /** The target that answered (its index in --target). */
  readonly target: number;
  /** The parsed JSON body, when there was one. */
  readonly body: unknown;
}

/** Sends requests to one or more `mbs serve` front ends, routed as their `/v1/routes` say. */
export interface TargetClient {
  /** How requests are spread: by size (front ends own different buffers) or round robin. */
  readonly routing: 'size' | 'round-robin';
  /** Sends one request; never rejects: a transport failure is an answer without a status. */
  send(size: number, input: unknown): Promise<TargetAnswer>;
  close(): void;
}

interface Target {
  readonly url: URL;
  readonly routes: RoutesAnswer;
}

function parseTargets(value: string): URL[] {
  return value.split(',').map((part) => {
    let url: URL;
    try {
      url = new URL(part.trim());
    } catch {
      throw optionError(
        '--target',
        `${JSON.stringify(part)} is not a URL; give http://host:port of mbs serve`,
        value,
      );
    }
    if (url.protocol !== 'http:') {
      throw optionError('--target', `${url.href}: only http:// is served by mbs serve`, value);
    }
    return url;
  });
}

async function fetchRoutes(url: URL): Promise<RoutesAnswer> {
  const where = new URL('/v1/routes', url);
  try {
    const answer = await fetch(where);
    if (!answer.ok) throw new Error(`HTTP ${answer.status}`);
    return (await answer.json()) as RoutesAnswer;
  } catch (error) {
    throw errors.error(
      'IO',
      `--target ${url.origin}: GET /v1/routes failed (${(error as Error).message}); is mbs serve running there?`,
      { cause: error, details: { option: '--target' } },
    );
  }
}

/** Whether a size falls in one of a front end's owned ranges. */
const owns = (routes: RoutesAnswer, size: number) =>
  routes.sizeRanges.some(
    (range) =>
      (range.above === null || size > range.above) && (range.upTo === null || size <= range.upTo),
  );

/**
 * Connects to the front ends of `--target`: asks each for its routes; when they all serve every
 * class, requests go round robin (k identical front ends); otherwise each request goes to a
 * front end owning its size (round robin among several), as an L7 balancer routing by size does.
 *
 * @example
 * ```ts
 * const client = await createTargetClient('http://127.0.0.1:8080,http://127.0.0.1:8081');
 * const answer = await client.send(512, { size: 512 });
 * ```
 */
export async function createTargetClient(value: string): Promise<TargetClient> {
  const urls = parseTargets(value);
  const targets: Target[] = await Promise.all(
    urls.map(async (url) => ({ url, routes: await fetchRoutes(url) })),
  );
  const routing = targets.every((target) => target.routes.ownsAll) ? 'round-robin' : 'size';
  // Open loop: a socket per request in flight, kept alive for the next ones.
  const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  let turn = 0;
  const pick = (size: number): number | undefined => {
    if (routing === 'round-robin') return turn++ % targets.length;
    const candidates = targets.flatMap((target, index) =>
      owns(target.routes, size) ? [index] : [],
    );
    if (candidates.length === 0) return undefined;
    return candidates[turn++ % candidates.length];
  };
  return {
    routing,
    send(size, input) {
      const index = pick(size);
      if (index === undefined) {
        return Promise.resolve({ status: 'NO_TARGET', target: -1, body: undefined });
      }
      const { url } = targets[index]!;
      const payload = JSON.stringify({ size, input });
      return new Promise<TargetAnswer>((resolve) => {
        const sent = httpRequest(
          {
            hostname: url.hostname,
            port: url.port,
            path: '/v1/infer',
            method: 'POST',
            agent,
            headers: {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(payload),
              'x-mbs-size': String(size),
            },
          },
          (response) => {
            const chunks: string[] = [];
            response.setEncoding('utf8');
            response.on('data', (chunk: string) => chunks.push(chunk));
            response.on('end', () => {
              let body: unknown;
              try {
                body = JSON.parse(chunks.join(''));
              } catch {
                body = undefined;
              }
              resolve({ status: String(response.statusCode), target: index, body });
            });
            response.on('error', (error: NodeJS.ErrnoException) =>
              resolve({ status: error.code ?? 'ERROR', target: index, body: undefined }),
            );
          },
        );
        sent.on('error', (error: NodeJS.ErrnoException) =>
          resolve({ status: error.code ?? 'ERROR', target: index, body: undefined }),
        );
        sent.end(payload);
      });
    },
    close: () => agent.destroy(),
  };
}
