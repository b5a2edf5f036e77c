import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { MbsError } from '@mbs/core';
import { awsError } from './lambda-errors.js';

/**
 * Content types the AWS SDK sends: JSON (control plane, CloudWatch Logs) and octet-stream (an
 * Invoke payload). None is one a browser may send cross-site without a preflight (text/plain,
 * application/x-www-form-urlencoded, multipart/form-data), which the emulator never answers.
 */
const ACCEPTED_CONTENT_TYPES = [
  'application/json',
  'application/x-amz-json-1.0',
  'application/x-amz-json-1.1',
  'application/octet-stream',
  'binary/octet-stream',
];

/** An `Authorization` header as SigV4 writes it; the signature itself is not checked. */
const SIGV4_AUTHORIZATION =
  /^AWS4-HMAC-SHA256\s+Credential=[^/\s,]+\/\d{8}\/[^/\s,]+\/[^/\s,]+\/aws4_request,\s*SignedHeaders=[a-z0-9;_.-]+,\s*Signature=[0-9a-f]{64}$/i;

/**
 * Headers only browsers send: `Origin` (on every cross-origin request and every POST) and the
 * fetch metadata `Sec-Fetch-Site`. The AWS SDK sends neither; Node's own fetch sends only
 * `Sec-Fetch-Mode`, which is therefore not counted.
 */
const BROWSER_HEADERS = ['origin', 'sec-fetch-site'];

/** What the guard knows of the server: where it listens. */
export interface GuardedAddress {
  /** The address bound, as given (`127.0.0.1`, `::1`, `0.0.0.0`, `localhost`...). */
  readonly host: string;
  readonly port: number;
}

/** Refuses requests a developer's emulator must not serve, before anything is read or created. */
export interface RequestGuard {
  /** The refusal of a request, or undefined when it may be served. */
  refusal(request: IncomingMessage, url: URL): MbsError | undefined;
  /** A query string that signs a download path (GetFunction's Code.Location), as a presigned URL. */
  signPath(path: string): string;
}

function forbidden(message: string): MbsError {
  return awsError({
    statusCode: 403,
    errorType: 'AccessDeniedException',
    awsMessage: message,
    retryable: false,
  });
}

/** Whether an address or name is this machine's loopback. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare);
}

function isWildcard(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return bare === '0.0.0.0' || bare === '::';
}

/** Splits a Host header into name and port (80 when absent, as HTTP says). */
function parseHostHeader(value: string): { name: string; port: number } | undefined {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(value.trim());
  if (!match) return undefined;
  return { name: match[1]!.toLowerCase(), port: match[2] === undefined ? 80 : Number(match[2]) };
}

/**
 * Whether a Host names this server. Loopback names always do. A server bound to one address
 * also answers to that address; one bound to every interface answers to any IP address but to
 * no other name, so a page whose DNS name is rebound to this machine is still refused.
 */
function hostNamesServer(name: string, bound: string): boolean {
  if (isLoopback(name)) return true;
  const boundName = bound.toLowerCase();
  if (isWildcard(boundName)) return isIP(name.replace(/^\[|\]$/g, '')) !== 0;
  return name === boundName || name === `[${boundName}]`;
}

function headerText(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function hasBody(request: IncomingMessage): boolean {
  const length = headerText(request, 'content-length');
  return (
    request.headers['transfer-encoding'] !== undefined ||
    (length !== undefined && length.trim() !== '0')
  );
}

/**
 * Creates the guard of a server listening at `address`. It refuses, with 403
 * AccessDeniedException: a Host that does not name the server (DNS rebinding), any request a
 * browser marks as its own (`Origin`, `Sec-Fetch-*`), a preflight (OPTIONS), and a request with
 * no SigV4-shaped `Authorization` (any credentials are accepted, as SAM local does; the SDK
 * always signs). A body whose content type is not JSON or octet-stream gets 415
 * UnsupportedMediaTypeException. Together they mean no web page can create or invoke a
 * function: a cross-site request either carries `Origin` or is one the browser must preflight.
 */
export function createRequestGuard(address: GuardedAddress, downloadPrefix: string): RequestGuard {
  const secret = randomBytes(32);
  const signature = (path: string) => createHmac('sha256', secret).update(path).digest('hex');
  const validSignature = (path: string, given: string | null) => {
    if (given === null || !/^[0-9a-f]{64}$/.test(given)) return false;
    return timingSafeEqual(Buffer.from(signature(path), 'hex'), Buffer.from(given, 'hex'));
  };
  return {
    signPath: (path) => `X-Amz-Signature=${signature(path)}`,
    refusal(request, url) {
      const host = parseHostHeader(headerText(request, 'host') ?? '');
      if (!host || host.port !== address.port || !hostNamesServer(host.name, address.host)) {
        return forbidden(
          `Host ${JSON.stringify(headerText(request, 'host') ?? '')} does not name this emulator; use http://127.0.0.1:${address.port}`,
        );
      }
      const browserHeader = BROWSER_HEADERS.find((name) => request.headers[name] !== undefined);
      if (browserHeader !== undefined) {
        return forbidden(
          `The emulator refuses requests from web browsers (the request carries ${browserHeader})`,
        );
      }
      if (request.method === 'OPTIONS') {
        return forbidden('The emulator answers no CORS preflight: browsers may not call it');
      }
      if (hasBody(request)) {
        const contentType = (headerText(request, 'content-type') ?? '')
          .split(';')[0]!
          .trim()
          .toLowerCase();
        if (!ACCEPTED_CONTENT_TYPES.includes(contentType)) {
          return awsError({
            statusCode: 415,
            errorType: 'UnsupportedMediaTypeException',
            awsMessage: `The content type ${JSON.stringify(contentType)} is not accepted; send ${ACCEPTED_CONTENT_TYPES.join(', ')}`,
            retryable: false,
          });
        }
      }
      if (request.method === 'GET' && url.pathname.startsWith(downloadPrefix)) {
        return validSignature(url.pathname, url.searchParams.get('X-Amz-Signature'))
          ? undefined
          : forbidden('The code location is not signed by this emulator');
      }
      if (!SIGV4_AUTHORIZATION.test(headerText(request, 'authorization') ?? '')) {
        return forbidden(
          'Missing or malformed Authorization header: sign requests with SigV4 (any credentials; the AWS SDK and CLI do)',
        );
      }
      return undefined;
    },
  };
}
