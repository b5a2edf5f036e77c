import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Emulator } from './emulator.js';
import type { FunctionCode } from './function-code.js';
import type { FunctionConfigurationChanges } from './function-operations.js';
import { readBody, send, sendError, sendJson } from './http-exchange.js';
import { awsError, invalidParameterValue, requestTooLarge } from './lambda-errors.js';
import { MAXIMUM_CODE_REQUEST_BYTES, MAXIMUM_REQUEST_PAYLOAD_BYTES } from './limits.js';

/** Where GetFunction points Code.Location: the server serves stored zips here. */
export const CODE_DOWNLOAD_PREFIX = '/mbs-emulator/code/';

/** Largest body the control-plane operations other than code uploads read, in bytes. */
const CONTROL_REQUEST_LIMIT_BYTES = 1_048_576;

type Json = Record<string, unknown>;

interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly operation: string;
  readonly limitBytes: number;
  readonly handle: (context: RouteContext) => Promise<void> | void;
}

interface RouteContext {
  readonly emulator: Emulator;
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly url: URL;
  /** The decoded function name (or ARN) from the path, if the route has one. */
  readonly functionName: string;
  readonly body: Buffer;
  /** Where GetFunction's Code.Location points for a zip's SHA-256 (hex). */
  readonly codeLocation: (sha256Hex: string) => string;
}

function parseJsonBody(body: Buffer): Json {
  if (body.byteLength === 0) return {};
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Json;
  } catch {
    // Refused below, as a body that is not a JSON object.
  }
  throw awsError({
    statusCode: 400,
    errorType: 'SerializationException',
    awsMessage: 'The request body is not a JSON object',
    retryable: false,
  });
}

function required(body: Json, key: string, field: string): unknown {
  const value = body[key];
  if (value === undefined || value === null) {
    throw invalidParameterValue(
      `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

function optionalString(body: Json, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidParameterValue(`${key} must be a string`);
  return value;
}

function environmentOf(body: Json): Record<string, string> | undefined {
  const environment = body.Environment as { Variables?: unknown } | undefined | null;
  if (environment === undefined || environment === null) return undefined;
  return (environment.Variables ?? {}) as Record<string, string>;
}

/**
 * The settings CreateFunction and UpdateFunctionConfiguration share, from Lambda's body fields to
 * the emulator's names; only the fields present. The emulator checks their values.
 */
function settingsOf(body: Json): FunctionConfigurationChanges {
  const environment = environmentOf(body);
  const [handler, runtime, description] = ['Handler', 'Runtime', 'Description'].map((key) =>
    optionalString(body, key),
  );
  return {
    ...(body.MemorySize === undefined ? {} : { memoryMb: body.MemorySize as number }),
    ...(body.Timeout === undefined ? {} : { timeoutSeconds: body.Timeout as number }),
    ...(handler === undefined ? {} : { handler }),
    ...(runtime === undefined ? {} : { runtime }),
    ...(description === undefined ? {} : { description }),
    ...(environment === undefined ? {} : { environment }),
  };
}

function zipCode(code: Json, operation: string): FunctionCode {
  const zip = code.ZipFile;
  if (typeof zip !== 'string' || zip.length === 0) {
    throw invalidParameterValue(
      code.S3Bucket !== undefined || code.ImageUri !== undefined
        ? `The emulator accepts code as ZipFile only (${operation}); S3 and image code are not supported`
        : 'Please provide a source for function code.',
    );
  }
  return { zipFile: new Uint8Array(Buffer.from(zip, 'base64')) };
}

function architectureOf(body: Json): 'x86_64' | 'arm64' | undefined {
  const architectures = body.Architectures;
  if (architectures === undefined || architectures === null) return undefined;
  if (!Array.isArray(architectures) || architectures.length !== 1) {
    throw invalidParameterValue('Architectures must hold exactly one of x86_64, arm64');
  }
  return architectures[0] as 'x86_64' | 'arm64';
}

function decodeClientContext(header: string | undefined): unknown {
  if (header === undefined || header === '') return undefined;
  try {
    return JSON.parse(Buffer.from(header, 'base64').toString('utf8'));
  } catch {
    throw invalidParameterValue('Client context must be a valid Base64-encoded JSON object.');
  }
}

function headerOf(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

const FUNCTION = '([^/]+)';

const routes: readonly Route[] = [
  {
    method: 'POST',
    pattern: new RegExp(`^/2015-03-31/functions/${FUNCTION}/invocations/?$`),
    operation: 'InvokeFunction',
    limitBytes: MAXIMUM_REQUEST_PAYLOAD_BYTES,
    async handle({ emulator, request, response, url, functionName, body }) {
      const invocationType = headerOf(request, 'x-amz-invocation-type') ?? 'RequestResponse';
      const logType = headerOf(request, 'x-amz-log-type') ?? 'None';
      if (logType !== 'None' && logType !== 'Tail') {
        throw invalidParameterValue(
          `1 validation error detected: Value '${logType}' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [Tail, None]`,
        );
      }
      const qualifier = url.searchParams.get('Qualifier') ?? undefined;
      const outcome = await emulator.invoke(functionName, body, {
        invocationType: invocationType as 'RequestResponse',
        logType,
        clientContext: decodeClientContext(headerOf(request, 'x-amz-client-context')),
        ...(qualifier === undefined ? {} : { qualifier }),
      });
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      if (outcome.executedVersion) headers['X-Amz-Executed-Version'] = outcome.executedVersion;
      if (outcome.functionError) headers['X-Amz-Function-Error'] = outcome.functionError;
      if (outcome.logResult !== undefined) headers['X-Amz-Log-Result'] = outcome.logResult;
      send(
        response,
        outcome.statusCode,
        outcome.statusCode === 200 ? outcome.payload : undefined,
        headers,
        outcome.requestId,
      );
    },
  },
  {
    method: 'POST',
    pattern: /^\/2015-03-31\/functions\/?$/,
    operation: 'CreateFunction',
    limitBytes: MAXIMUM_CODE_REQUEST_BYTES,
    handle({ emulator, response, body: raw }) {
      const body = parseJsonBody(raw);
      const functionName = required(body, 'FunctionName', 'functionName');
      if (typeof functionName !== 'string')
        throw invalidParameterValue('FunctionName must be a string');
      const role = required(body, 'Role', 'role');
      if (typeof role !== 'string') throw invalidParameterValue('Role must be a string');
      if ((body.PackageType ?? 'Zip') !== 'Zip') {
        throw invalidParameterValue('The emulator runs Zip functions only (PackageType Zip)');
      }
      const code = required(body, 'Code', 'code') as Json;
      const architecture = architectureOf(body);
      const configuration = emulator.createFunction({
        functionName,
        role,
        code: zipCode(code, 'CreateFunction'),
        ...settingsOf(body),
        ...(architecture === undefined ? {} : { architecture }),
      });
      sendJson(response, 201, configuration);
    },
  },
  {
    method: 'GET',
    pattern: /^\/2015-03-31\/functions\/?$/,
    operation: 'ListFunctions',
    limitBytes: CONTROL_REQUEST_LIMIT_BYTES,
    handle({ emulator, response, url }) {
      const marker = url.searchParams.get('Marker') ?? undefined;
      const maxItemsText = url.searchParams.get('MaxItems');
      const maxItems = maxItemsText === null ? undefined : Number(maxItemsText);
      sendJson(response, 200, emulator.listFunctions(marker, maxItems));
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/2015-03-31/functions/${FUNCTION}/configuration/?$`),
    operation: 'GetFunctionConfiguration',
    limitBytes: CONTROL_REQUEST_LIMIT_BYTES,
    handle({ emulator, response, url, functionName }) {
      sendJson(
        response,
        200,
        emulator.getFunctionConfiguration(
          functionName,
          url.searchParams.get('Qualifier') ?? undefined,
        ),
      );
    },
  },
  {
    method: 'PUT',
    pattern: new RegExp(`^/2015-03-31/functions/${FUNCTION}/configuration/?$`),
    operation: 'UpdateFunctionConfiguration',
    limitBytes: CONTROL_REQUEST_LIMIT_BYTES,
    handle({ emulator, response, functionName, body: raw }) {
      const body = parseJsonBody(raw);
      const settings = settingsOf(body);
      const [role, revisionId] = ['Role', 'RevisionId'].map((key) => optionalString(body, key));
      sendJson(
        response,
        200,
        emulator.updateFunctionConfiguration(functionName, {
          ...settings,
          ...(role === undefined ? {} : { role }),
          ...(revisionId === undefined ? {} : { revisionId }),
        }),
      );
    },
  },
  {
    method: 'PUT',
    pattern: new RegExp(`^/2015-03-31/functions/${FUNCTION}/code/?$`),
    operation: 'UpdateFunctionCode',
    limitBytes: MAXIMUM_CODE_REQUEST_BYTES,
    handle({ emulator, response, functionName, body: raw }) {
      const body = parseJsonBody(raw);
      sendJson(
        response,
        200,
        emulator.updateFunctionCode(
          functionName,
          zipCode(body, 'UpdateFunctionCode'),
          optionalString(body, 'RevisionId'),
        ),
      );
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/2015-03-31/functions/${FUNCTION}/?$`),
    operation: 'GetFunction',
    limitBytes: CONTROL_REQUEST_LIMIT_BYTES,
    handle({ emulator, response, url, functionName, codeLocation }) {
      const qualifier = url.searchParams.get('Qualifier');
      if (qualifier !== null) emulator.getFunctionConfiguration(functionName, qualifier);
      sendJson(response, 200, emulator.getFunction(functionName, codeLocation));
    },
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`^/2015-03-31/functions/${FUNCTION}/?$`),
    operation: 'DeleteFunction',
    limitBytes: CONTROL_REQUEST_LIMIT_BYTES,
    handle({ emulator, response, url, functionName }) {
      emulator.deleteFunction(functionName, url.searchParams.get('Qualifier') ?? undefined);
      send(response, 204, undefined);
    },
  },
  {
    method: 'PUT',
    pattern: new RegExp(`^/2017-10-31/functions/${FUNCTION}/concurrency/?$`),
    operation: 'PutFunctionConcurrency',
    limitBytes: CONTROL_REQUEST_LIMIT_BYTES,
    handle({ emulator, response, functionName, body }) {
      const reserved = required(
        parseJsonBody(body),
        'ReservedConcurrentExecutions',
        'reservedConcurrentExecutions',
      );
      sendJson(response, 200, emulator.putFunctionConcurrency(functionName, reserved));
    },
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`^/2017-10-31/functions/${FUNCTION}/concurrency/?$`),
    operation: 'DeleteFunctionConcurrency',
    limitBytes: CONTROL_REQUEST_LIMIT_BYTES,
    handle({ emulator, response, functionName }) {
      emulator.deleteFunctionConcurrency(functionName);
      send(response, 204, undefined);
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/2019-09-30/functions/${FUNCTION}/concurrency/?$`),
    operation: 'GetFunctionConcurrency',
    limitBytes: CONTROL_REQUEST_LIMIT_BYTES,
    handle({ emulator, response, functionName }) {
      sendJson(response, 200, emulator.getFunctionConcurrency(functionName));
    },
  },
  {
    method: 'GET',
    pattern: /^\/2016-08-19\/account-settings\/?$/,
    operation: 'GetAccountSettings',
    limitBytes: CONTROL_REQUEST_LIMIT_BYTES,
    handle({ emulator, response }) {
      sendJson(response, 200, emulator.getAccountSettings());
    },
  },
];

function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw invalidParameterValue(
      `The function name in the path is not URL-encoded correctly: ${segment}`,
    );
  }
}

/**
 * Answers a Lambda API request if the method and path are one of the emulated operations;
 * resolves false when they are not (the caller then refuses the request).
 */
export async function handleLambdaRequest(
  emulator: Emulator,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  codeLocation: (sha256Hex: string) => string,
): Promise<boolean> {
  const route = routes.find(
    (candidate) => candidate.method === request.method && candidate.pattern.test(url.pathname),
  );
  if (!route) return false;
  const body = await readBody(request, route.limitBytes);
  try {
    if (body.tooLarge) throw requestTooLarge(route.limitBytes, route.operation);
    const segment = route.pattern.exec(url.pathname)?.[1];
    await route.handle({
      emulator,
      request,
      response,
      url,
      functionName: segment === undefined ? '' : decodePathSegment(segment),
      body: body.bytes,
      codeLocation,
    });
  } catch (error) {
    sendError(response, error, 'rest-json');
  }
  return true;
}
