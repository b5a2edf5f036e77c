import { bufferText } from '../describe.js';
import type { MeasuredRecords, ReportInputs } from '../documents.js';
import { COLORS, type Figure, type FigureSeries } from '../figure.js';
import { type BatchTotals, batchTotals } from '../measured.js';
import type { ReportSection } from '../section.js';

interface MeasuredBatches {
  readonly name: string;
  readonly color: string;
  readonly totals: Map<number, BatchTotals>;
  readonly paddingByClass?: MeasuredRecords['paddingByClass'];
}

function measuredBatches(inputs: ReportInputs): MeasuredBatches[] {
  const list: MeasuredBatches[] = [];
  const add = (name: string, color: string, records: MeasuredRecords | undefined) => {
    if (records?.batches && records.batches.length > 0) {
      list.push({
        name,
        color,
        totals: batchTotals(records.batches),
        ...(records.paddingByClass ? { paddingByClass: records.paddingByClass } : {}),
      });
    }
  };
  add('replay', COLORS.replay, inputs.replay);
  add('run', COLORS.run, inputs.run);
  return list;
}

const percent = (share: number) => (Number.isFinite(share) ? share * 100 : Number.NaN);

/**
 * Batch-size distribution of each buffer, the model's P(N = n) beside the measured shares of
 * batches, and the padding share per buffer, model against measured.
 */
export function batchSizeSection(inputs: ReportInputs): ReportSection {
  const solve = inputs.solve?.document;
  const windowIndex = inputs.window ?? 0;
  const window = solve?.windows[windowIndex];
  const model = window?.model;
  const buffers = window?.solution.system.buffers;
  const measured = measuredBatches(inputs);
  const missing: string[] = [];
  if (!model)
    missing.push('No model batch-size law: give --solve with windows[].model (mbs solve --json).');
  if (measured.length === 0)
    missing.push('No measured batches: give --replay or --run with batches.jsonl.');
  if (!model && measured.length === 0) {
    return {
      id: 'batches',
      title: 'Batch sizes and padding',
      paragraphs: [],
      figures: [],
      tables: [],
      missing,
    };
  }
  const indices = buffers
    ? buffers.map((_, index) => index)
    : [...new Set(measured.flatMap((entry) => [...entry.totals.keys()]))].sort((a, b) => a - b);
  const figures: Figure[] = indices.map((index) => {
    const law = model?.buffers[index]?.batchSizeProbabilities ?? [];
    const largest = Math.max(
      law.length,
      buffers?.[index]?.batchSize ?? 0,
      ...measured.map((entry) => entry.totals.get(index)?.counts.length ?? 0),
      1,
    );
    const categories = Array.from({ length: largest }, (_, at) => String(at + 1));
    const series: FigureSeries[] = [];
    const columns = ['batch size'];
    const values: number[][] = [];
    if (model) {
      series.push({
        name: 'model P(N = n)',
        kind: 'bar',
        points: categories.map((_, at) => [at, law[at] ?? 0]),
        color: COLORS.model,
      });
      columns.push('model');
      values.push(categories.map((_, at) => law[at] ?? 0));
    }
    for (const entry of measured) {
      const totals = entry.totals.get(index);
      const shares = categories.map((_, at) =>
        totals && totals.batches > 0 ? (totals.counts[at] ?? 0) / totals.batches : 0,
      );
      series.push({
        name: `${entry.name} (${totals?.batches ?? 0} batches)`,
        kind: 'bar',
        points: shares.map((share, at) => [at, share]),
        color: entry.color,
      });
      columns.push(entry.name);
      values.push(shares);
    }
    return {
      id: `batches-buffer-${index}`,
      title: `Buffer ${index}${buffers?.[index] ? ` (${bufferText(buffers[index])})` : ''}: batch sizes`,
      caption:
        'Share of batches (invocations) holding n requests. A batch leaves full at B or at its timeout T with fewer.',
      x: { label: 'batch size n (requests)', scale: 'category', categories },
      y: { label: 'share of batches', min: 0 },
      series,
      table: {
        columns,
        rows: categories.map((category, at) => [
          Number(category),
          ...values.map((list) => list[at]!),
        ]),
      },
      height: 320,
    };
  });
  // Padding per buffer: model vs measured (by class when the composer measured it so).
  const paddingSeries: FigureSeries[] = [];
  const paddingColumns = ['buffer'];
  const paddingValues: number[][] = [];
  if (model) {
    const values = indices.map((index) =>
      percent(model.buffers[index]?.paddingShare ?? Number.NaN),
    );
    paddingSeries.push({
      name: 'model (by class)',
      kind: 'bar',
      points: values.map((value, at) => [at, value]),
      color: COLORS.model,
    });
    paddingColumns.push('model, by class (%)');
    paddingValues.push(values);
  }
  for (const entry of measured) {
    const byClass = entry.paddingByClass;
    const values = indices.map((index) =>
      percent(
        byClass
          ? (byClass.buffers[index] ?? Number.NaN)
          : (entry.totals.get(index)?.paddingBySizes ?? Number.NaN),
      ),
    );
    const basis = byClass ? 'by class' : 'by request sizes';
    paddingSeries.push({
      name: `${entry.name} (${basis})`,
      kind: 'bar',
      points: values.map((value, at) => [at, value]),
      color: entry.color,
    });
    paddingColumns.push(`${entry.name}, ${basis} (%)`);
    paddingValues.push(values);
    if (!byClass)
      missing.push(
        `The ${entry.name}'s padding is by real request sizes; the model pads by class, so they differ even when both are right.`,
      );
  }
  figures.push({
    id: 'padding',
    title: 'Padding share per buffer',
    caption:
      'Share of the batch input that is padding: a batch is padded to its largest request (by class: to its largest class’s size).',
    x: {
      label: 'buffer',
      scale: 'category',
      categories: indices.map((index) => `buffer ${index}`),
    },
    y: { label: 'padding (% of batch input)', min: 0 },
    series: paddingSeries,
    table: {
      columns: paddingColumns,
      rows: indices.map((index, at) => [index, ...paddingValues.map((list) => list[at]!)]),
    },
    height: 320,
  });
  return {
    id: 'batches',
    title: 'Batch sizes and padding',
    paragraphs: [],
    figures,
    tables: [],
    missing,
  };
}
