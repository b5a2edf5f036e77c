import { compileFilterPattern } from './filter-pattern.js';
import { logsError } from './lambda-errors.js';

/** One stored log event. */
export interface StoredLogEvent {
  /** When the line was written, in milliseconds since the epoch. */
  readonly timestamp: number;
  readonly message: string;
  /** When the store received it, in milliseconds since the epoch. */
  readonly ingestionTime: number;
  /** Global arrival order, the tie-breaker for equal timestamps and the event id. */
  readonly sequence: number;
}

interface LogStream {
  readonly name: string;
  readonly creationTime: number;
  readonly events: StoredLogEvent[];
  storedBytes: number;
}

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

/**
 * An in-memory CloudWatch Logs store: log groups of streams of events, answering
 * FilterLogEvents, GetLogEvents, DescribeLogStreams and DescribeLogGroups with AWS's request
 * and response shapes and pagination.
 */
export class LogStore {
  readonly #groups = new Map<string, LogGroup>();
  #sequence = 0;

  constructor(
    private readonly region: string,
    private readonly accountId: string,
  ) {}

  /** Creates a stream (and its group) if missing. */
  createStream(groupName: string, streamName: string, creationTime = Date.now()): void {
    let group = this.#groups.get(groupName);
    if (!group) {
      group = { name: groupName, creationTime, streams: new Map() };
      this.#groups.set(groupName, group);
    }
    if (!group.streams.has(streamName)) {
      group.streams.set(streamName, { name: streamName, creationTime, events: [], storedBytes: 0 });
    }
  }

  /** Appends one event to a stream, creating the stream and group if missing. */
  append(groupName: string, streamName: string, timestamp: number, message: string): void {
    this.createStream(groupName, streamName, timestamp);
    const stream = this.#groups.get(groupName)!.streams.get(streamName)!;
    this.#sequence += 1;
    stream.events.push({ timestamp, message, ingestionTime: Date.now(), sequence: this.#sequence });
    stream.storedBytes += Buffer.byteLength(message);
  }

  /** Deletes a log group and its streams (no error when it does not exist). */
  deleteGroup(groupName: string): void {
    this.#groups.delete(groupName);
  }

  /** Events of a group in a time range (inclusive), in time order, for the provider's readLogs. */
  eventsBetween(
    groupName: string,
    startMs: number,
    endMs: number,
  ): readonly (StoredLogEvent & { readonly logStreamName: string })[] {
    const group = this.#groups.get(groupName);
    if (!group) return [];
    return [...group.streams.values()]
      .flatMap((stream) =>
        stream.events
          .filter((event) => event.timestamp >= startMs && event.timestamp <= endMs)
          .map((event) => ({ ...event, logStreamName: stream.name })),
      )
      .sort((a, b) => a.timestamp - b.timestamp || a.sequence - b.sequence);
  }

  #group(request: LogsRequest): LogGroup {
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
        stream.events
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
    const events = stream.events;
    const inRange = (event: StoredLogEvent) =>
      (startTime === undefined || event.timestamp >= startTime) &&
      (endTime === undefined || event.timestamp < endTime);
    let direction: 'f' | 'b' = startFromHead ? 'f' : 'b';
    let position = startFromHead ? 0 : events.length;
    if (token !== undefined) {
      const parsed = /^([fb])\/(\d+)(\/s)?$/.exec(token);
      const parsedPosition = parsed ? Number(parsed[2]) : Number.NaN;
      if (!parsed || !Number.isSafeInteger(parsedPosition) || parsedPosition > events.length) {
        throw logsError('InvalidParameterException', 'The specified nextToken is invalid.');
      }
      direction = parsed[1] as 'f' | 'b';
      position = parsedPosition;
    }
    const page: StoredLogEvent[] = [];
    let forward: number;
    let backward: number;
    if (direction === 'f') {
      let index = position;
      for (; index < events.length && page.length < limit; index++) {
        if (inRange(events[index]!)) page.push(events[index]!);
      }
      forward = index;
      backward = position;
    } else {
      let index = position - 1;
      for (; index >= 0 && page.length < limit; index--) {
        if (inRange(events[index]!)) page.push(events[index]!);
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
    const lastEventTime = (stream: LogStream) => stream.events.at(-1)?.timestamp ?? 0;
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
        ...(stream.events.length > 0
          ? {
              firstEventTimestamp: stream.events[0]!.timestamp,
              lastEventTimestamp: lastEventTime(stream),
              lastIngestionTime: stream.events.at(-1)!.ingestionTime,
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
