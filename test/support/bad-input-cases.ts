import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

// The table of the bad-input suite: each case is one `mbs` command line fed one bad input, with
// the exit code it must end with and a pattern its message must match (naming the file, line or
// option, and the problem). Files are written into a scratch folder by `writeBadInputFiles`.

/** One bad input and what `mbs` must answer. */
export interface BadInputCase {
  /** Unique name, shown by the test runner. */
  readonly name: string;
  readonly args: readonly string[];
  /** Accepted exit codes: 2 for a bad option, 1 for bad data; never 0. */
  readonly exitCodes: readonly number[];
  /** What stderr must match: names the input and says what is wrong. */
  readonly message: RegExp;
  /** The text the user typed, which the message may quote (`--slo Infinity`). */
  readonly typed?: string;
}

/** Paths of the scratch files, by name. */
export type BadInputFiles = (name: string) => string;

const buffer = (firstClass: number, lastClass: number, extra: Record<string, unknown> = {}) => ({
  firstClass,
  lastClass,
  batchSize: 4,
  timeoutSeconds: 0.05,
  memoryMb: 1024,
  ...extra,
});

/** A JSON document the mutations below reach into freely, to break it on purpose. */
// biome-ignore lint/suspicious/noExplicitAny: the mutations write any path of an untyped document.
type LooseDocument = Record<string, any>;

/** A valid two-class, two-buffer configuration; `change` mutates a copy. */
export function configuration(change: (document: LooseDocument) => void = () => {}) {
  const document: LooseDocument = {
    schema: 'mbs.configuration',
    version: 1,
    classUpperEdges: [100, 1000],
    sizeUnit: 'tokens',
    pricing: 'aws-x86',
    windows: [
      { startSeconds: 0, endSeconds: 3600, system: { buffers: [buffer(0, 0), buffer(1, 1)] } },
    ],
  };
  change(document);
  return document;
}

const firstBuffer = (document: LooseDocument) => document.windows[0].system.buffers[0];

/** Configuration mutations: name, change, what the message must say. */
const CONFIGURATION_MUTATIONS: readonly [string, (document: LooseDocument) => void, RegExp][] = [
  [
    'B = 0',
    (d) => {
      firstBuffer(d).batchSize = 0;
    },
    /batchSize must be an integer in 1\.\.10000; got 0/,
  ],
  [
    'B = 100000',
    (d) => {
      firstBuffer(d).batchSize = 100_000;
    },
    /batchSize .*1\.\.10000.*100000/,
  ],
  [
    'B = 2.5',
    (d) => {
      firstBuffer(d).batchSize = 2.5;
    },
    /batchSize .*integer.*2\.5/,
  ],
  [
    'B as text',
    (d) => {
      firstBuffer(d).batchSize = '4';
    },
    /batchSize .*number/,
  ],
  [
    'T = 1e9 s',
    (d) => {
      firstBuffer(d).timeoutSeconds = 1e9;
    },
    /timeoutSeconds .*900/,
  ],
  [
    'T < 0',
    (d) => {
      firstBuffer(d).timeoutSeconds = -1;
    },
    /timeoutSeconds .*-1/,
  ],
  [
    'T null (NaN)',
    (d) => {
      firstBuffer(d).timeoutSeconds = null;
    },
    /timeoutSeconds .*finite number/,
  ],
  [
    'M = 64 MB',
    (d) => {
      firstBuffer(d).memoryMb = 64;
    },
    /memoryMb .*128\.\.10240/,
  ],
  [
    'M = 99999 MB',
    (d) => {
      firstBuffer(d).memoryMb = 99_999;
    },
    /memoryMb .*128\.\.10240/,
  ],
  [
    'M = 1000.5 MB',
    (d) => {
      firstBuffer(d).memoryMb = 1000.5;
    },
    /memoryMb .*whole number/,
  ],
  [
    'window ends before it starts',
    (d) => Object.assign(d.windows[0], { startSeconds: 100, endSeconds: 50 }),
    /windows\[0\].*(end|start)/,
  ],
  [
    'overlapping windows',
    (d) => d.windows.push({ ...d.windows[0], startSeconds: 1800, endSeconds: 7200 }),
    /windows\[1\].*(overlap|start|before)/,
  ],
  [
    'unordered class edges',
    (d) => {
      d.classUpperEdges = [1000, 100];
    },
    /classUpperEdges/,
  ],
  [
    'no class edges',
    (d) => {
      d.classUpperEdges = [];
    },
    /classUpperEdges/,
  ],
  [
    'class not covered',
    (d) => {
      d.windows[0].system.buffers = [buffer(0, 0)];
    },
    /class(es)? 1|cover/,
  ],
  [
    'first class after last',
    (d) => {
      d.windows[0].system.buffers = [buffer(1, 0)];
    },
    /firstClass|lastClass/,
  ],
  [
    'class share 1.5',
    (d) => {
      firstBuffer(d).firstClassShare = 1.5;
    },
    /firstClassShare/,
  ],
  [
    'wrong schema',
    (d) => {
      d.schema = 'mbs.workload';
    },
    /schema/,
  ],
  [
    'version 2',
    (d) => {
      d.version = 2;
    },
    /version/,
  ],
  [
    'no windows',
    (d) => {
      d.windows = [];
    },
    /windows must be a non-empty array/,
  ],
  [
    'no buffers',
    (d) => {
      d.windows[0].system.buffers = [];
    },
    /buffers must hold at least one buffer/,
  ],
  [
    'negative class',
    (d) => {
      firstBuffer(d).firstClass = -1;
    },
    /firstClass/,
  ],
];

/** A service-time profile in the MBS JSON format; `rows[memory]` = ms for batch 1..n of class 0. */
function profile(rows: Record<string, unknown>) {
  return { service_time: rows };
}

const PROFILE_CASES: readonly [string, unknown, RegExp][] = [
  [
    'memory 64 MB',
    profile({ '64': [[10, 12]], '1024': [[5, 6]] }),
    /service_time\["64"\] is 64 MB; memories must be a whole number of MB in 128\.\.10240/,
  ],
  ['memory 99999 MB', profile({ '99999': [[10, 12]] }), /service_time\["99999"\].*128\.\.10240/],
  [
    'time falls 20 % with the batch',
    profile({ '1024': [[10, 8, 9]] }),
    /not monotone in batch size: batch 2 takes 8 ms, 20\.0 % less/,
  ],
  ['negative time', profile({ '1024': [[10, -1]] }), /service_time\["1024"\]\[0\]\[1\]/],
  [
    'ragged classes',
    profile({
      '1024': [[10, 11]],
      '2048': [
        [5, 6],
        [7, 8],
      ],
    }),
    /service_time\["2048"\]/,
  ],
  [
    'not a memory key',
    profile({ big: [[10, 11]] }),
    /service_time\["big"\] has a key that is not a memory size/,
  ],
  ['no service_time', { times: {} }, /service_time/],
];

/** Trace files (CSV unless the name says otherwise): content and what the message must say. */
const TRACE_CASES: readonly [string, string, string, RegExp][] = [
  [
    'all arrivals at one time',
    'same.csv',
    'timeSeconds,size\n5,10\n5,20\n5,30\n',
    /all 3 arrivals share one time|two arrivals at different times/,
  ],
  [
    'more fields than the header',
    'extra.csv',
    'timeSeconds,size\n1,10\n2,20,99\n',
    /extra\.csv:3: 3 fields, more than the 2 columns/,
  ],
  [
    'time goes backwards',
    'backwards.csv',
    'timeSeconds,size\n2,10\n1,20\n',
    /backwards\.csv:3|backwards|order/i,
  ],
  ['size is text', 'textsize.csv', 'timeSeconds,size\n1,ten\n', /textsize\.csv:2: size "ten"/],
  [
    'time is text',
    'texttime.csv',
    'timeSeconds,size\n1,10\nsoon,20\n',
    /texttime\.csv:3: unparseable time "soon"/,
  ],
  ['header only', 'header.csv', 'timeSeconds,size\n', /no (usable )?arrivals|empty|holds no/i],
  ['empty file', 'empty.csv', '', /empty|no (usable )?arrivals|holds no|no trace reader/i],
  ['missing file', 'does-not-exist.csv', '', /does-not-exist\.csv: no such file/],
  [
    'binary file',
    'binary.bin',
    '\u0000\u0001\u0002\u0003',
    /binary\.bin.*no trace reader recognises it/,
  ],
  ['negative size', 'negsize.csv', 'timeSeconds,size\n1,-5\n2,10\n', /negsize\.csv:2: size "-5"/],
];

/** Time option values that are not times. */
const BAD_TIMES = ['-5', 'May 5', '1e20', 'yesterday', '2025-13-45', '1.5'];

/** Number options of every command, with a command line that reaches the option check. */
function numberOptionCommands(files: BadInputFiles): readonly [string[], string[]][] {
  const config = files('good-config.json');
  const trace = files('good.csv');
  return [
    [
      ['deploy', '--config', config, '--dry-run'],
      ['window', 'function-timeout'],
    ],
    [
      ['emulator', 'start'],
      [
        'port',
        'warm-seconds',
        'account-concurrency',
        'max-instances',
        'reference-vcpu',
        'fault-seed',
        'fault-throttle-rate',
        'fault-error-rate',
        'fault-crash-rate',
        'fault-extra-latency-ms',
        'fault-latency-rate',
      ],
    ],
    [
      ['fit', trace, '--out', files('never.json')],
      ['window', 'phases', 'classes'],
    ],
    [['logs', 'summarize', files('run-empty')], ['window']],
    [['package', '--out', files('never.zip')], ['compression-level']],
    [['report', '--config', config, '--out', files('never.html')], ['window']],
    [
      ['run', '--config', config, '--trace', trace, '--out', files('never-run')],
      [
        'speed',
        'limit',
        'seed',
        'max-length',
        'invocation-timeout',
        'max-failed',
        'stop-after-refused',
      ],
    ],
    [
      ['serve', '--config', config],
      [
        'port',
        'max-queued-per-buffer',
        'max-in-flight-requests',
        'max-in-flight-invocations',
        'max-in-flight-per-buffer',
        'retry-after',
        'seed',
      ],
    ],
    [
      ['simulate', '--config', config, '--trace', trace],
      ['requests', 'seed', 'window', 'cold-start-ms', 'keep-warm', 'percentile'],
    ],
    [
      ['solve', '--trace', trace],
      [
        'classes',
        'window',
        'seed',
        'percentile',
        'slo',
        'budget',
        'min-batch-size',
        'max-batch-size',
        'min-timeout',
        'max-timeout',
        'timeout-steps',
        'timeout-resolution',
        'verify-rounds',
        'verify-refine',
        'front-ends',
      ],
    ],
    [
      ['trace', 'stats', trace],
      ['lags', 'classes', 'seed'],
    ],
    [
      ['validate', '--trace', trace],
      ['requests', 'seed', 'buffers'],
    ],
  ];
}

const NON_FINITE = ['abc', 'Infinity', '-Infinity', 'NaN'];

/** Writes the files the cases read into `directory`. */
export async function writeBadInputFiles(directory: string): Promise<BadInputFiles> {
  const files: BadInputFiles = (name) => join(directory, name);
  await writeFile(files('good-config.json'), JSON.stringify(configuration()));
  await writeFile(files('good.csv'), 'timeSeconds,size\n0,50\n0.5,500\n1,50\n1.7,60\n2,700\n');
  await writeFile(files('no-sizes.csv'), 'timeSeconds\n0\n0.5\n1\n1.7\n2\n');
  await writeFile(
    files('one-size.csv'),
    'timeSeconds,size\n0,100\n0.5,100\n1,100\n1.7,100\n2,100\n',
  );
  for (const [index, [, change]] of CONFIGURATION_MUTATIONS.entries()) {
    await writeFile(files(`config-${index}.json`), JSON.stringify(configuration(change)));
  }
  await writeFile(files('config-text.json'), 'schema: mbs.configuration\n');
  for (const [index, [, document]] of PROFILE_CASES.entries()) {
    await writeFile(files(`profile-${index}.json`), JSON.stringify(document));
  }
  for (const [, name, content] of TRACE_CASES) {
    if (name !== 'does-not-exist.csv') await writeFile(files(name), content);
  }
  await writeFile(
    files('workload-edges.json'),
    JSON.stringify({
      schema: 'mbs.workload',
      version: 1,
      classUpperEdges: [200, 1000],
      source: 'hand-written',
      classRepresentativeSizes: [200, 1000],
      sizeUnit: 'tokens',
      windows: [
        {
          startSeconds: 0,
          endSeconds: 3600,
          arrivals: 36_000,
          map: { d0: [[-10]], d1: [[10]] },
          classShares: [0.5, 0.5],
        },
      ],
    }),
  );
  await writeRunFolders(files);
  await writeFile(files('passwd'), 'root:x:0:0:root:/root:/bin/bash\n');
  // Arrival processes beyond what the model computes in bounded time and memory.
  for (const [name, rate] of [
    ['poisson-1e6', 1e6],
    ['poisson-1e9', 1e9],
  ] as const) {
    await writeFile(files(`${name}-D0.csv`), `${-rate}\n`);
    await writeFile(files(`${name}-D1.csv`), `${rate}\n`);
  }
  return files;
}

const request = (id: string, batchId: string) => ({
  requestId: id,
  buffer: 0,
  classId: 0,
  size: 50,
  arrivalSeconds: 0,
  dispatchSeconds: 0.01,
  completionSeconds: 0.1,
  waitSeconds: 0.01,
  latencySeconds: 0.1,
  batchId,
  batchSize: 1,
});
const batch = (batchId: string, invocationId: string) => ({
  batchId,
  buffer: 0,
  openedSeconds: 0,
  dispatchedSeconds: 0.01,
  endedSeconds: 0.1,
  size: 1,
  largestClass: 0,
  paddingShare: 0,
  durationMs: 80,
  billedDurationMs: 80,
  memoryMb: 1024,
  cold: false,
  costUsd: 0.0000014,
  reason: 'full',
  invocationId,
});
const invocation = (requestId: string, billedDurationMs = 80) => ({
  requestId,
  functionName: 'mbs-b0',
  durationMs: 79.5,
  billedDurationMs,
  memorySizeMb: 1024,
  maxMemoryUsedMb: 200,
});
const lines = (records: readonly unknown[]) =>
  records.map((record) => `${JSON.stringify(record)}\n`).join('');

/** Run folders for `mbs logs summarize`, each broken one way. */
const RUN_FOLDERS: readonly [string, Record<string, string>, RegExp][] = [
  [
    'run-empty',
    { requests: '', batches: '', invocations: '' },
    /requests\.jsonl holds no request records/,
  ],
  [
    'run-duplicate',
    {
      requests: lines([request('r1', 'b1')]),
      batches: lines([batch('b1', 'i1')]),
      invocations: lines([invocation('i1'), invocation('i1')]),
    },
    /invocations\.jsonl holds duplicated invocation records \(requestId\): i1/,
  ],
  [
    'run-negative',
    {
      requests: lines([request('r1', 'b1')]),
      batches: lines([batch('b1', 'i1')]),
      invocations: lines([invocation('i1', -80)]),
    },
    /invocations\.jsonl.*line 1.*"billedDurationMs" must be a finite number >= 0; got -80/,
  ],
  [
    'run-unmatched',
    {
      requests: lines([request('r1', 'b1')]),
      batches: lines([batch('b1', 'i1')]),
      invocations: lines([invocation('other-run')]),
    },
    /none of the 1 batch records matches an invocation record/,
  ],
  [
    'run-malformed',
    {
      requests: `${lines([request('r1', 'b1')])}{not json\n`,
      batches: lines([batch('b1', 'i1')]),
      invocations: lines([invocation('i1')]),
    },
    /requests\.jsonl.*line 2/,
  ],
  [
    'run-no-invocations',
    { requests: lines([request('r1', 'b1')]), batches: lines([batch('b1', 'i1')]) },
    /invocations\.jsonl is missing; collect the invocation records first/,
  ],
];

async function writeRunFolders(files: BadInputFiles): Promise<void> {
  for (const [name, contents] of RUN_FOLDERS) {
    await mkdir(files(name), { recursive: true });
    for (const [kind, content] of Object.entries(contents)) {
      await writeFile(join(files(name), `${kind}.jsonl`), content);
    }
  }
}

/** Every case of the suite. */
export function badInputCases(files: BadInputFiles): BadInputCase[] {
  const cases: BadInputCase[] = [];
  const endpoint = ['--provider', 'local', '--endpoint', 'http://127.0.0.1:9'];
  // 1. Number options that are not finite numbers, on every command.
  for (const [base, options] of numberOptionCommands(files)) {
    for (const option of options) {
      for (const value of NON_FINITE) {
        cases.push({
          name: `${base.slice(0, 2).join(' ')} --${option} ${value}`,
          // `--x=-5`: yargs reads `--x -Infinity` as the short flags -I -n -f ...
          args: [...base, `--${option}=${value}`],
          exitCodes: [2],
          message: new RegExp(`--${option} is "${value}"; give a finite number`),
          typed: value,
        });
      }
    }
  }
  // 2. Bad configurations, through every command that reads one.
  const configurationReaders: readonly [string, (config: string) => string[]][] = [
    ['simulate', (config) => ['simulate', '--config', config, '--trace', files('good.csv')]],
    ['deploy --dry-run', (config) => ['deploy', '--config', config, '--dry-run', ...endpoint]],
    [
      'run',
      (config) => [
        'run',
        '--config',
        config,
        '--trace',
        files('good.csv'),
        ...endpoint,
        '--out',
        files('never-run'),
      ],
    ],
    [
      'logs collect',
      (config) => [
        'logs',
        'collect',
        '--config',
        config,
        '--since',
        '0',
        '--until',
        '1000',
        '--out',
        files('never-logs'),
        ...endpoint,
      ],
    ],
  ];
  for (const [command, args] of configurationReaders) {
    for (const [index, [name, , message]] of CONFIGURATION_MUTATIONS.entries()) {
      const path = files(`config-${index}.json`);
      cases.push({
        name: `${command}: configuration with ${name}`,
        args: args(path),
        exitCodes: [1, 2],
        message: new RegExp(`config-${index}\\.json[\\s\\S]*(?:${message.source})`),
      });
    }
    cases.push({
      name: `${command}: configuration that is not JSON`,
      args: args(files('config-text.json')),
      exitCodes: [1, 2],
      message: /config-text\.json.*JSON/,
    });
    cases.push({
      name: `${command}: configuration file missing`,
      args: args(files('no-config.json')),
      exitCodes: [1, 2],
      message: /no-config\.json/,
    });
  }
  // 3. Bad profiles, where solve and simulate read them.
  for (const [index, [name, , message]] of PROFILE_CASES.entries()) {
    const path = files(`profile-${index}.json`);
    cases.push({
      name: `solve: profile with ${name}`,
      args: ['solve', '--trace', files('good.csv'), '--slo', '0.5', '--profile', path],
      exitCodes: [1, 2],
      message: new RegExp(`profile-${index}\\.json[\\s\\S]*(?:${message.source})`),
    });
    cases.push({
      name: `simulate: profile with ${name}`,
      args: [
        'simulate',
        '--config',
        files('good-config.json'),
        '--trace',
        files('good.csv'),
        '--profile',
        path,
      ],
      exitCodes: [1, 2],
      message: new RegExp(`profile-${index}\\.json[\\s\\S]*(?:${message.source})`),
    });
  }
  // 4. Bad traces, through trace stats, fit, solve and simulate.
  for (const [name, file, , message] of TRACE_CASES) {
    const path = files(file);
    const readers: readonly [string, string[]][] = [
      ['trace stats', ['trace', 'stats', path]],
      ['fit', ['fit', path, '--out', files('never-workload.json')]],
      ['solve', ['solve', '--trace', path, '--slo', '0.5']],
    ];
    for (const [command, args] of readers) {
      cases.push({ name: `${command}: trace ${name}`, args, exitCodes: [1, 2], message });
    }
  }
  // 5. A workload whose classes are not the configuration's.
  cases.push({
    name: 'simulate: workload class edges differ from the configuration',
    args: [
      'simulate',
      '--config',
      files('good-config.json'),
      '--workload',
      files('workload-edges.json'),
    ],
    exitCodes: [1],
    message:
      /workload-edges\.json has class upper edges 200, 1000 but --config .*good-config\.json has 100, 1000/,
  });
  // 6. Time options that are not times.
  for (const option of ['--since', '--until']) {
    for (const value of BAD_TIMES) {
      const times =
        option === '--since'
          ? ['--since', value, '--until', '1700000000000']
          : ['--since', '1700000000000', '--until', value];
      cases.push({
        name: `logs collect ${option} ${value}`,
        args: [
          'logs',
          'collect',
          '--config',
          files('good-config.json'),
          ...times,
          '--out',
          files('never-logs'),
          ...endpoint,
        ],
        exitCodes: [2],
        message: new RegExp(`${option} is "${value.replace(/[.+]/g, '\\$&')}": not a time`),
        typed: value,
      });
    }
  }
  // 7. Run folders that cannot be summarised truthfully.
  for (const [name, , message] of RUN_FOLDERS) {
    cases.push({
      name: `logs summarize: ${name}`,
      args: ['logs', 'summarize', files(name), '--config', files('good-config.json')],
      exitCodes: [1],
      message,
    });
  }
  // 8. Numbers in range for yargs but not for the command.
  const ranges: readonly [string, string[], RegExp][] = [
    ['solve --slo 0', ['solve', '--trace', files('good.csv'), '--slo', '0'], /--slo/],
    ['solve --slo -1', ['solve', '--trace', files('good.csv'), '--slo', '-1'], /--slo/],
    [
      'solve --percentile 100',
      ['solve', '--trace', files('good.csv'), '--slo', '0.5', '--percentile', '100'],
      /--percentile/,
    ],
    [
      'solve --percentile 0',
      ['solve', '--trace', files('good.csv'), '--slo', '0.5', '--percentile', '0'],
      /--percentile/,
    ],
    [
      'solve --max-batch-size 100000',
      ['solve', '--trace', files('good.csv'), '--slo', '0.5', '--max-batch-size', '100000'],
      /--max-batch-size/,
    ],
    [
      'solve --memories 64',
      ['solve', '--trace', files('good.csv'), '--slo', '0.5', '--memories', '64,1024'],
      /--memories/,
    ],
    [
      'solve --memories 99999',
      ['solve', '--trace', files('good.csv'), '--slo', '0.5', '--memories', '1024,99999'],
      /--memories/,
    ],
    [
      'run --speed 0',
      [
        'run',
        '--config',
        files('good-config.json'),
        '--trace',
        files('good.csv'),
        '--out',
        files('never-run'),
        '--speed',
        '0',
        ...endpoint,
      ],
      /--speed/,
    ],
    [
      'run --max-failed 2',
      [
        'run',
        '--config',
        files('good-config.json'),
        '--trace',
        files('good.csv'),
        '--out',
        files('never-run'),
        '--max-failed',
        '2',
        ...endpoint,
      ],
      /--max-failed is 2/,
    ],
    [
      'run --invocation-timeout 0',
      [
        'run',
        '--config',
        files('good-config.json'),
        '--trace',
        files('good.csv'),
        '--out',
        files('never-run'),
        '--invocation-timeout',
        '0',
        ...endpoint,
      ],
      /--invocation-timeout is 0/,
    ],
    [
      'run --stop-after-refused 0',
      [
        'run',
        '--config',
        files('good-config.json'),
        '--trace',
        files('good.csv'),
        '--out',
        files('never-run'),
        '--stop-after-refused',
        '0',
        ...endpoint,
      ],
      /--stop-after-refused/,
    ],
    [
      'deploy --function-timeout 901',
      [
        'deploy',
        '--config',
        files('good-config.json'),
        '--dry-run',
        '--function-timeout',
        '901',
        ...endpoint,
      ],
      /function-?[tT]imeout/,
    ],
    [
      'trace stats --classes 0',
      ['trace', 'stats', files('good.csv'), '--classes', '0'],
      /--classes/,
    ],
    [
      'simulate --percentile 2',
      [
        'simulate',
        '--config',
        files('good-config.json'),
        '--trace',
        files('good.csv'),
        '--percentile',
        '200',
      ],
      /--percentile/,
    ],
  ];
  for (const [name, args, message] of ranges) {
    cases.push({ name, args, exitCodes: [1, 2], message });
  }
  // Size classes asked of a trace without sizes: one class, or classes padded to size 0.
  const sizeless: readonly [string, string[], RegExp][] = [
    [
      'solve: a trace with no size column',
      ['solve', '--trace', files('no-sizes.csv'), '--slo', '0.5'],
      /no-sizes\.csv: every request has size 0 \(as when the trace has no size column\), so 8 size classes .*--edges/,
    ],
    [
      'solve --classes 1: a trace with no size column',
      ['solve', '--trace', files('no-sizes.csv'), '--slo', '0.5', '--classes', '1'],
      /no-sizes\.csv: every request has size 0 .*--edges/,
    ],
    [
      'solve --classes 4: a trace of one size',
      ['solve', '--trace', files('one-size.csv'), '--slo', '0.5', '--classes', '4'],
      /one-size\.csv: every request has size 100, so 4 size classes .*--edges.*--classes 1/,
    ],
    [
      'solve --by log: a trace of one size',
      ['solve', '--trace', files('one-size.csv'), '--slo', '0.5', '--by', 'log'],
      /one-size\.csv: every request has size 100, so 8 size classes by log/,
    ],
    [
      'solve --edges 0',
      ['solve', '--trace', files('no-sizes.csv'), '--slo', '0.5', '--edges', '0'],
      /--edges "0": give comma-separated sizes > 0/,
    ],
    [
      'solve --edges 100,0',
      ['solve', '--trace', files('good.csv'), '--slo', '0.5', '--edges', '100,0'],
      /--edges "100,0": give comma-separated sizes > 0/,
    ],
  ];
  for (const [name, args, message] of sizeless) {
    cases.push({ name, args, exitCodes: [1, 2], message });
  }
  // 9. Arrival rates the model cannot handle: a clear error within seconds, never a hang.
  for (const name of ['poisson-1e6', 'poisson-1e9']) {
    cases.push({
      name: `solve: MAP ${name}`,
      args: [
        'solve',
        '--trace',
        `${files(`${name}-D0.csv`)},${files(`${name}-D1.csv`)}`,
        '--classes',
        '2',
        '--slo',
        '0.5',
      ],
      exitCodes: [1],
      message: /uniformization steps over one interval .*beyond the 100,000 the model computes/,
    });
  }
  // 10. A model that is no ONNX graph.
  cases.push({
    name: 'package --model /etc/passwd-like text file',
    args: [
      'package',
      '--model',
      files('passwd'),
      '--descriptor',
      'default',
      '--out',
      files('never.zip'),
    ],
    exitCodes: [1, 2],
    message: /passwd is not (a protobuf message|an ONNX model)/,
  });
  return cases;
}
