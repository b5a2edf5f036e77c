import type { ReportInputs } from '../documents.js';
import { COLORS, type Figure, type FigureSeries } from '../figure.js';
import type { ProfileForReport } from '../parse-profile-document.js';
import type { ReportSection } from '../section.js';

const LINE_COLORS = [COLORS.model, COLORS.replay, COLORS.run, ...COLORS.baselines];

/** Up to three classes to draw: the smallest, the middle and the largest. */
function drawnClasses(classCount: number): number[] {
  return [...new Set([0, Math.floor((classCount - 1) / 2), classCount - 1])];
}

/** The law's time in ms of a batch at one of the table's memories. */
const lawMs = (data: ProfileForReport, memoryMb: number, classId: number, batchSize: number) =>
  data.profile.serviceTimeSeconds(memoryMb, classId, batchSize) * 1000;

function heatmapFigure(data: ProfileForReport, classId: number): Figure {
  const memories = data.profile.memorySizesMb ?? [];
  const batches = Array.from({ length: data.profile.maxBatchSize }, (_, at) => at + 1);
  const points = memories.flatMap((memoryMb, x) =>
    batches.map((batch, y) => [x, y, lawMs(data, memoryMb, classId, batch)]),
  );
  return {
    id: `profile-heatmap-class-${classId}`,
    title: `Service time of a batch whose largest class is ${classId}`,
    caption:
      'Milliseconds per batch by memory size (columns) and batch size (rows), as the profile tabulates them; darker is slower.',
    x: { label: 'memory (MB)', scale: 'category', categories: memories.map(String) },
    y: { label: 'batch size (requests)', scale: 'category', categories: batches.map(String) },
    series: [{ name: `class ${classId}`, kind: 'heatmap', points }],
    valueLabel: 'ms',
    table: {
      columns: ['batch size', ...memories.map((memoryMb) => `${memoryMb} MB (ms)`)],
      rows: batches.map((batch) => [
        batch,
        ...memories.map((memoryMb) => lawMs(data, memoryMb, classId, batch)),
      ]),
    },
    height: 420,
  };
}

/** Service time against batch size for one class, a line per memory (smallest to largest). */
function batchFigure(data: ProfileForReport, classId: number): Figure {
  const memories = data.profile.memorySizesMb ?? [];
  const picked = [
    ...new Set([
      0,
      Math.round((memories.length - 1) / 3),
      Math.round((2 * (memories.length - 1)) / 3),
      memories.length - 1,
    ]),
  ]
    .map((index) => memories[index]!)
    .filter((memoryMb) => memoryMb !== undefined);
  const batches = Array.from({ length: data.profile.maxBatchSize }, (_, at) => at + 1);
  const series: FigureSeries[] = [];
  const rows: (string | number)[][] = [];
  picked.forEach((memoryMb, at) => {
    const color = LINE_COLORS[at % LINE_COLORS.length]!;
    const points = batches.map((batch) => [batch, lawMs(data, memoryMb, classId, batch)]);
    series.push({ name: `law, ${memoryMb} MB`, kind: 'line', points, color });
    for (const [batch, ms] of points) rows.push(['law', memoryMb, batch!, ms!]);
    const measured = data.measured.filter(
      (point) => point.classId === classId && point.memoryMb === memoryMb,
    );
    if (measured.length > 0) {
      series.push({
        name: `measured, ${memoryMb} MB`,
        kind: 'scatter',
        points: measured.map((point) => [point.batchSize, point.serviceTimeMs]),
        color,
      });
      for (const point of measured)
        rows.push(['measured', memoryMb, point.batchSize, point.serviceTimeMs]);
    }
  });
  return {
    id: `profile-batch-class-${classId}`,
    title: `Service time against batch size, largest class ${classId}`,
    caption: series.some((entry) => entry.kind === 'scatter')
      ? `Lines: the fitted law (service_time) at four memory sizes; dots: measured points (${data.measuredFrom}).`
      : 'The profile’s service_time at four memory sizes: a batch takes longer with more requests, less with more memory.',
    x: { label: 'batch size (requests)', min: 1, max: data.profile.maxBatchSize },
    y: { label: 'service time (ms)', min: 0 },
    series,
    table: { columns: ['series', 'memory (MB)', 'batch size', 'service time (ms)'], rows },
    height: 340,
  };
}

function memoryFigure(data: ProfileForReport, classId: number): Figure {
  const memories = data.profile.memorySizesMb ?? [];
  const largest = data.profile.maxBatchSize;
  const batches = [...new Set([1, Math.ceil(largest / 2), largest])];
  const series: FigureSeries[] = [];
  const rows: (string | number)[][] = [];
  batches.forEach((batch, at) => {
    const color = LINE_COLORS[at % LINE_COLORS.length]!;
    const points = memories.map((memoryMb) => [memoryMb, lawMs(data, memoryMb, classId, batch)]);
    series.push({ name: `law, batch ${batch}`, kind: 'line', points, color });
    for (const [memoryMb, ms] of points) rows.push(['law', batch, memoryMb!, ms!]);
    const measured = data.measured.filter(
      (point) => point.classId === classId && point.batchSize === batch,
    );
    if (measured.length > 0) {
      series.push({
        name: `measured, batch ${batch}`,
        kind: 'scatter',
        points: measured.map((point) => [point.memoryMb, point.serviceTimeMs]),
        color,
      });
      for (const point of measured)
        rows.push(['measured', batch, point.memoryMb, point.serviceTimeMs]);
    }
  });
  return {
    id: `profile-memory-class-${classId}`,
    title: `Service time against memory, largest class ${classId}`,
    caption: series.some((entry) => entry.kind === 'scatter')
      ? `Lines: the fitted law (service_time); dots: measured points (${data.measuredFrom}).`
      : 'Lines: the profile’s service_time table at each memory size, for three batch sizes.',
    x: { label: 'memory (MB)' },
    y: { label: 'service time (ms)', min: 0 },
    series,
    table: { columns: ['series', 'batch size', 'memory (MB)', 'service time (ms)'], rows },
  };
}

/** The service-time profile: heatmaps by memory and batch size, and the law against measurements. */
export function profileSection(inputs: ReportInputs): ReportSection {
  const data = inputs.profile;
  if (!data) {
    return {
      id: 'profile',
      title: 'Service-time profile',
      paragraphs: [],
      figures: [],
      tables: [],
      missing: [
        'No profile: give --profile with a profile in the MBS JSON format (mbs profile writes one).',
      ],
    };
  }
  const memories = data.profile.memorySizesMb ?? [];
  const missing: string[] = [];
  if (data.measured.length === 0)
    missing.push(
      `${data.source} has no measured points besides its service_time table, so no measured-vs-law comparison.`,
    );
  if (data.ignoredFields.length > 0)
    missing.push(`Fields not drawn: ${data.ignoredFields.join(', ')}.`);
  const classes = drawnClasses(data.profile.classCount);
  return {
    id: 'profile',
    title: 'Service-time profile',
    paragraphs: [
      `${data.source}: ${data.profile.classCount} classes, batch sizes 1..${data.profile.maxBatchSize}, ${memories.length} memory sizes (${memories[0]}..${memories.at(-1)} MB)${data.measured.length > 0 ? `, ${data.measured.length} measured points (${data.measuredFrom})` : ''}. The heatmap shows class ${classes.at(-1)}; the lines classes ${classes.join(', ')}.`,
    ],
    // One heatmap (the largest class, which sets the time of every batch it is in) and small
    // multiples of lines for the others: a heatmap costs hundreds of SVG cells to draw.
    figures: [
      heatmapFigure(data, classes.at(-1)!),
      memoryFigure(data, classes.at(-1)!),
      ...classes.map((classId) => batchFigure(data, classId)),
    ],
    tables: [],
    missing,
  };
}
