import { compileFilterPattern } from './filter-pattern.js';
import { logsError } from './lambda-errors.js';
import { MAXIMUM_LOG_EVENT_BYTES } from './limits.js';
import { LogRetention } from './log-retention.js';
import { LogStream, type StoredLogEvent } from './log-stream.js';
import { DEFAULT_LOG_RETENTION_BYTES, type ResolvedEmulatorOptions } from './options.js';

export type { StoredLogEvent } from './log-stream.js';

interface LogGroup {
  readonly name: string;
  readonly creationTime: number;
  readonly streams: Map<string, LogStream>;
}

/** A wire request body of CloudWatch Logs (awsJson 1.1). */
export type LogsRequest = Readonly<Record<string, unknown>>;

function optionalString(request: LogsRequest, key: string): string | undefined {
  const value = request[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw logsError('InvalidParameterException', `${key} must be a string`);
  }
  return value;
}

function optionalInteger(
  request: LogsRequest,
  key: string,
  minimum: number,
  maximum: number,
): number | undefined {
  const value = request[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum || value > maximum) {
    throw logsError(
      'InvalidParameterException',
      `1 validation error detected: Value '${String(value)}' at '${key}' failed to satisfy constraint: Member must have value between ${minimum} and ${maximum}`,
    );
  }
  return value;
}

function optionalBoolean(request: LogsRequest, key: string): boolean | undefined {
  const value = request[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean')
    throw logsError('InvalidParameterException', `${key} must be a boolean`);
  return value;
}

function encodeToken(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decodeToken<T>(token: string, check: (value: unknown) => value is T): T {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (check(value)) return value;
  } catch {
    // Falls through to the same refusal as a well-formed but foreign token.
  }
  throw logsError('InvalidParameterException', 'The specified nextToken is invalid.');
}

const isEventPosition = (value: unknown): value is { t: number; s: number } =>
  typeof (value as { t?: unknown })?.t === 'number' &&
  typeof (value as { s?: unknown })?.s === 'number';
const isOffset = (value: unknown): value is { o: number } =>
  typeof (value as { o?: unknown })?.o === 'number' && (value as { o: number }).o >= 0;

const MAXIMUM_SAFE_TIME = Number.MAX_SAFE_INTEGER;

/** The event id CloudWatch gives an event: a long digit string, unique per event. */
function eventId(event: StoredLogEvent): string {
  return `${String(event.timestamp).padStart(16, '0')}${String(event.sequence).padStart(40, '0')}`;
}

function forwardToken(position: number): string {
  return `f/${String(position).padStart(56, '0')}/s`;
}

function backwardToken(position: number): string {
  return `b/${String(position).padStart(56, '0')}/s`;
}

/** A message cut to the longest CloudWatch Logs stores (UTF-8 bytes). */
function truncatedMessage(message: string): string {
  if (message.length * 3 <= MAXIMUM_LOG_EVENT_BYTES) return message;
  const bytes = Buffer.from(message);
  if (bytes.byteLength <= MAXIMUM_LOG_EVENT_BYTES) return message;
  // A cut inside a multi-byte character decodes to U+FFFD, which may grow the text: cut again.
  let cut = bytes.subarray(0, MAXIMUM_LOG_EVENT_BYTES).toString('utf8');
  while (Buffer.byteLength(cut) > MAXIMUM_LOG_EVENT_BYTES) cut = cut.slice(0, -1);
  return cut;
}

/**
 * An in-memory CloudWatch Logs store: log groups of streams of events, answering
 * FilterLogEvents, GetLogEvents, DescribeLogStreams and DescribeLogGroups with AWS's request
 * and response shapes and pagination. Retention is bounded (see `logRetention`): the oldest
 * events are dropped, as a group's retention period drops them on CloudWatch Logs, and a message
 * over 256 KB is cut, as PutLogEvents refuses larger events.
 */
export class LogStore {
  readonly #groups = new Map<string, LogGroup>();
  readonly #retention: LogRetention;
  #sequence = 0;

  constructor(
    private readonly region: string,
    private readonly accountId: string,
    retention: ResolvedEmulatorOptions['logRetention'] = {
      maxBytes: DEFAULT_LOG_RETENTION_BYTES,
      maxAgeSeconds: undefined,
    },
  ) {
    this.#retention = new LogRetention(
      retention.maxBytes,
      retention.maxAgeSeconds === undefined ? undefined : retention.maxAgeSeconds * 1000,
      (stream) => this.#forgetEmptied(stream),
    );
  }

  /** Bytes held, counted as retention counts them (UTF-8 messages plus 26 per event). */
  get retainedBytes(): number {
    return this.#retention.bytes;
  }

  /** Creates a stream (and its group) if missing. */
  createStream(groupName: string, streamName: string, creationTime = Date.now()): void {
    this.#stream(groupName, streamName, creationTime);
  }

  #stream(groupName: string, streamName: string, creationTime: number): LogStream {
    let group = this.#groups.get(groupName);
    if (!group) {
      group = { name: groupName, creationTime, streams: new Map() };
      this.#groups.set(groupName, group);
    }
    let stream = group.streams.get(streamName);
    if (!stream) {
      stream = new LogStream(streamName, creationTime);
      group.streams.set(streamName, stream);
    }
    return stream;
  }

  /** Appends one event to a stream, creating the stream and group if missing. */
  append(groupName: string, streamName: string, timestamp: number, message: string): void {
    const stream = this.#stream(groupName, streamName, timestamp);
    const kept = truncatedMessage(message);
    const now = Date.now();
    this.#sequence += 1;
    stream.push({ timestamp, message: kept, ingestionTime: now, sequence: this.#sequence });
    this.#retention.added(stream, kept, now);
  }

  /** Deletes a log group and its streams (no error when it does not exist). */
  deleteGroup(groupName: string): void {
    const group = this.#groups.get(groupName);
    if (!group) return;
    for (const stream of group.streams.values()) this.#retention.removed(stream);
    this.#groups.delete(groupName);
  }

  /** A stream emptied by retention goes, as an expired stream does; a new event brings it back. */
  #forgetEmptied(stream: LogStream): void {
    for (const group of this.#groups.values()) {
      if (group.streams.get(stream.name) === stream) {
        group.streams.delete(stream.name);
        return;
      }
    }
  }

  /** Events of a group in a time range (inclusive), in time order, for the provider's readLogs. */
  eventsBetween(
    groupName: string,
    startMs: number,
    endMs: number,
  ): readonly (StoredLogEvent & { readonly logStreamName: string })[] {
    this.#retention.enforce(Date.now());
    const group = this.#groups.get(groupName);
    if (!group) return [];
    return [...group.streams.values()]
      .flatMap((stream) =>
        stream
          .kept()
          .filter((event) => event.timestamp >= startMs && event.timestamp <= endMs)
          .map((event) => ({ ...event, logStreamName: stream.name })),
      )
      .sort((a, b) => a.timestamp - b.timestamp || a.sequence - b.sequence);
  }

  #group(request: LogsRequest): LogGroup {
    this.#retention.enforce(Date.now());
    const name = optionalString(request, 'logGroupName');
    const identifier = optionalString(request, 'logGroupIdentifier');
    if (name !== undefined && identifier !== undefined) {
      throw logsError(
        'InvalidParameterException',
        'LogGroup name and LogGroup ARN are mutually exclusive parameters.',
      );
    }
    const groupName =
      name ?? identifier?.replace(/^arn:[^:]*:logs:[^:]*:[^:]*:log-group:/, '').replace(/:\*$/, '');
    if (groupName === undefined) {
      throw logsError(
        'InvalidParameterException',
        'Either logGroupName or logGroupIdentifier must be given.',
      );
    }
    const group = this.#groups.get(groupName);
    if (!group)
      throw logsError('ResourceNotFoundException', 'The specified log group does not exist.');
    return group;
  }

  /** FilterLogEvents: matching events of a group across streams, in time order, paginated. */
  filterLogEvents(request: LogsRequest): Record<string, unknown> {
    const group = this.#group(request);
    const names = request.logStreamNames;
    const prefix = optionalString(request, 'logStreamNamePrefix');
    if (names !== undefined && prefix !== undefined) {
      throw logsError(
        'InvalidParameterException',
        'logStreamNames and logStreamNamePrefix are mutually exclusive parameters.',
      );
    }
    if (
      names !== undefined &&
      (!Array.isArray(names) ||
        names.length < 1 ||
        names.length > 100 ||
        names.some((name) => typeof name !== 'string'))
    ) {
      throw logsError(
        'InvalidParameterException',
        'logStreamNames must hold 1 to 100 stream names.',
      );
    }
    const startTime = optionalInteger(request, 'startTime', 0, MAXIMUM_SAFE_TIME) ?? 0;
    const endTime = optionalInteger(request, 'endTime', 0, MAXIMUM_SAFE_TIME) ?? MAXIMUM_SAFE_TIME;
    const limit = optionalInteger(request, 'limit', 1, 10_000) ?? 10_000;
    const matches = compileFilterPattern(optionalString(request, 'filterPattern'));
    const token = optionalString(request, 'nextToken');
    const after = token === undefined ? undefined : decodeToken(token, isEventPosition);
    const streams = [...group.streams.values()].filter((stream) =>
      names !== undefined
        ? (names as string[]).includes(stream.name)
        : prefix === undefined || stream.name.startsWith(prefix),
    );
    const found = streams
      .flatMap((stream) =>
        stream
          .kept()
          .filter(
            (event) =>
              event.timestamp >= startTime &&
              event.timestamp <= endTime &&
              (after === undefined ||
                event.timestamp > after.t ||
                (event.timestamp === after.t && event.sequence > after.s)) &&
              matches(event.message),
          )
          .map((event) => ({ stream: stream.name, event })),
      )
      .sort((a, b) => a.event.timestamp - b.event.timestamp || a.event.sequence - b.event.sequence);
    const page = found.slice(0, limit);
    const last = page.at(-1);
    return {
      events: page.map(({ stream, event }) => ({
        logStreamName: stream,
        timestamp: event.timestamp,
        message: event.message,
        ingestionTime: event.ingestionTime,
        eventId: eventId(event),
      })),
      searchedLogStreams: streams.map((stream) => ({
        logStreamName: stream.name,
        searchedCompletely: true,
      })),
      ...(found.length > limit && last
        ? { nextToken: encodeToken({ t: last.event.timestamp, s: last.event.sequence }) }
        : {}),
    };
  }

  /**
   * GetLogEvents: one stream, forward or backward from a token. At the end of the stream the
   * forward token comes back unchanged, as AWS does.
   */
  getLogEvents(request: LogsRequest): Record<string, unknown> {
    const group = this.#group(request);
    const streamName = optionalString(request, 'logStreamName');
    if (streamName === undefined)
      throw logsError('InvalidParameterException', 'logStreamName is required.');
    const stream = group.streams.get(streamName);
    if (!stream)
      throw logsError('ResourceNotFoundException', 'The specified log stream does not exist.');
    const startTime = optionalInteger(request, 'startTime', 0, MAXIMUM_SAFE_TIME);
    const endTime = optionalInteger(request, 'endTime', 0, MAXIMUM_SAFE_TIME);
    const limit = optionalInteger(request, 'limit', 1, 10_000) ?? 10_000;
    const startFromHead = optionalBoolean(request, 'startFromHead') ?? false;
    const token = optionalString(request, 'nextToken');
    const inRange = (event: StoredLogEvent) =>
      (startTime === undefined || event.timestamp >= startTime) &&
      (endTime === undefined || event.timestamp < endTime);
    // Positions count every event the stream ever had; retention may have dropped the first ones.
    const first = stream.firstPosition;
    const end = stream.endPosition;
    let direction: 'f' | 'b' = startFromHead ? 'f' : 'b';
    let position = startFromHead ? first : end;
    if (token !== undefined) {
      const parsed = /^([fb])\/(\d+)(\/s)?$/.exec(token);
      const parsedPosition = parsed ? Number(parsed[2]) : Number.NaN;
      if (!parsed || !Number.isSafeInteger(parsedPosition) || parsedPosition > end) {
        throw logsError('InvalidParameterException', 'The specified nextToken is invalid.');
      }
      direction = parsed[1] as 'f' | 'b';
      position = Math.max(first, parsedPosition);
    }
    const page: StoredLogEvent[] = [];
    let forward: number;
    let backward: number;
    if (direction === 'f') {
      let index = position;
      for (; index < end && page.length < limit; index++) {
        const event = stream.at(index)!;
        if (inRange(event)) page.push(event);
      }
      forward = index;
      backward = position;
    } else {
      let index = position - 1;
      for (; index >= first && page.length < limit; index--) {
        const event = stream.at(index)!;
        if (inRange(event)) page.push(event);
      }
      page.reverse();
      forward = position;
      backward = index + 1;
    }
    return {
      events: page.map((event) => ({
        timestamp: event.timestamp,
        message: event.message,
        ingestionTime: event.ingestionTime,
      })),
      nextForwardToken: forwardToken(forward),
      nextBackwardToken: backwardToken(backward),
    };
  }

  /** DescribeLogStreams: the streams of a group by name or by last event time, paginated. */
  describeLogStreams(request: LogsRequest): Record<string, unknown> {
    const group = this.#group(request);
    const orderBy = optionalString(request, 'orderBy') ?? 'LogStreamName';
    if (orderBy !== 'LogStreamName' && orderBy !== 'LastEventTime') {
      throw logsError(
        'InvalidParameterException',
        `1 validation error detected: Value '${orderBy}' at 'orderBy' failed to satisfy constraint: Member must satisfy enum value set: [LastEventTime, LogStreamName]`,
      );
    }
    const prefix = optionalString(request, 'logStreamNamePrefix');
    if (prefix !== undefined && orderBy === 'LastEventTime') {
      throw logsError(
        'InvalidParameterException',
        'Cannot order by LastEventTime with a logStreamNamePrefix.',
      );
    }
    const descending = optionalBoolean(request, 'descending') ?? false;
    const limit = optionalInteger(request, 'limit', 1, 50) ?? 50;
    const token = optionalString(request, 'nextToken');
    const offset = token === undefined ? 0 : decodeToken(token, isOffset).o;
    const lastEventTime = (stream: LogStream) => stream.last()?.timestamp ?? 0;
    const streams = [...group.streams.values()]
      .filter((stream) => prefix === undefined || stream.name.startsWith(prefix))
      .sort((a, b) =>
        orderBy === 'LogStreamName'
          ? a.name < b.name
            ? -1
            : a.name > b.name
              ? 1
              : 0
          : lastEventTime(a) - lastEventTime(b) || (a.name < b.name ? -1 : 1),
      );
    if (descending) streams.reverse();
    const page = streams.slice(offset, offset + limit);
    return {
      logStreams: page.map((stream) => ({
        logStreamName: stream.name,
        creationTime: stream.creationTime,
        ...(stream.size > 0
          ? {
              firstEventTimestamp: stream.first()!.timestamp,
              lastEventTimestamp: lastEventTime(stream),
              lastIngestionTime: stream.last()!.ingestionTime,
            }
          : {}),
        arn: `arn:aws:logs:${this.region}:${this.accountId}:log-group:${group.name}:log-stream:${stream.name}`,
        storedBytes: stream.storedBytes,
      })),
      ...(offset + limit < streams.length ? { nextToken: encodeToken({ o: offset + limit }) } : {}),
    };
  }

  /** DescribeLogGroups: the groups by name, optionally by prefix, paginated. */
  describeLogGroups(request: LogsRequest): Record<string, unknown> {
    this.#retention.enforce(Date.now());
    const prefix = optionalString(request, 'logGroupNamePrefix');
    const limit = optionalInteger(request, 'limit', 1, 50) ?? 50;
    const token = optionalString(request, 'nextToken');
    const offset = token === undefined ? 0 : decodeToken(token, isOffset).o;
    const groups = [...this.#groups.values()]
      .filter((group) => prefix === undefined || group.name.startsWith(prefix))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const page = groups.slice(offset, offset + limit);
    return {
      logGroups: page.map((group) => {
        const arn = `arn:aws:logs:${this.region}:${this.accountId}:log-group:${group.name}`;
        return {
          logGroupName: group.name,
          creationTime: group.creationTime,
          metricFilterCount: 0,
          arn: `${arn}:*`,
          logGroupArn: arn,
          logGroupClass: 'STANDARD',
          storedBytes: [...group.streams.values()].reduce(
            (sum, stream) => sum + stream.storedBytes,
            0,
          ),
        };
      }),
      ...(offset + limit < groups.length ? { nextToken: encodeToken({ o: offset + limit }) } : {}),
    };
  }
}
