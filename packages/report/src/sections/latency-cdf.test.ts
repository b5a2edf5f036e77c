import { quantile } from '@mbs/core';
import { describe, expect, it } from 'vitest';
import { sampleRequests, sampleSolveDocument } from '../testing/sample-documents.js';
import { latencyCdfSection } from './latency-cdf.js';

describe('latencyCdfSection', () => {
  const document = sampleSolveDocument();
  const requests = sampleRequests(2000);
  const section = latencyCdfSection({
    solve: { source: 'solve.json', document },
    replay: { source: 'replay', requests },
  });

  it('draws the system and each buffer, with the SLO and the percentile marked', () => {
    expect(section.figures.map((figure) => figure.id)).toEqual([
      'cdf-system',
      'cdf-buffer-0',
      'cdf-buffer-1',
    ]);
    for (const figure of section.figures) {
      expect(figure.lines).toEqual([
        expect.objectContaining({ id: 'slo', axis: 'x', value: 1.2 }),
        expect.objectContaining({ id: 'percentile', axis: 'y', value: 0.95 }),
      ]);
      expect(figure.x.max).toBeGreaterThanOrEqual(1.2);
    }
    expect(section.missing).toEqual([]);
  });

  it('plots exactly the model distribution values of the solve result', () => {
    const model = document.windows[0]!.model!;
    const [system, buffer0, buffer1] = section.figures;
    const points = (figure: typeof system) =>
      figure!.series.find((series) => series.name === 'model')!.points;
    expect(points(system)).toEqual(
      model.latencyCdf.latency.map((x, index) => [x, model.latencyCdf.system[index]]),
    );
    expect(points(buffer0)).toEqual(
      model.latencyCdf.latency.map((x, index) => [x, model.latencyCdf.buffers[0]![index]]),
    );
    expect(points(buffer1)).toEqual(
      model.latencyCdf.latency.map((x, index) => [x, model.latencyCdf.buffers[1]![index]]),
    );
  });

  it("plots the replay's empirical quantiles, over all requests and per buffer", () => {
    const replayPoints = (index: number) =>
      section.figures[index]!.series.find((series) => series.name.startsWith('replay'))!.points;
    const all = requests.map((request) => request.latencySeconds);
    for (const [x, p] of replayPoints(0)) expect(x).toBe(quantile(all, p!));
    const ofBuffer = requests
      .filter((request) => request.buffer === 1)
      .map((request) => request.latencySeconds);
    for (const [x, p] of replayPoints(2)) expect(x).toBe(quantile(ofBuffer, p!));
  });

  it('puts every plotted point in the figure table', () => {
    const figure = section.figures[0]!;
    const plotted = figure.series.reduce((sum, series) => sum + series.points.length, 0);
    expect(figure.table.rows).toHaveLength(plotted);
  });

  it('scales measured latencies by class size when the SLO is per size unit', () => {
    const perSize = sampleSolveDocument();
    const window = {
      ...perSize.windows[0]!,
      model: { ...perSize.windows[0]!.model!, latencyUnit: 'seconds per size unit' as const },
    };
    const scaled = latencyCdfSection({
      solve: { source: 's', document: { ...perSize, windows: [window] } },
      replay: { source: 'replay', requests },
    });
    const edges = perSize.configuration!.classUpperEdges;
    const perUnit = requests.map((request) => request.latencySeconds / edges[request.classId!]!);
    const system = scaled.figures[0]!;
    expect(system.x.label).toBe('latency (s per size unit)');
    for (const [x, p] of system.series.find((series) => series.name.startsWith('replay'))!.points)
      expect(x).toBe(quantile(perUnit, p!));
  });

  it('says what it lacks', () => {
    const alone = latencyCdfSection({ replay: { source: 'replay', requests } });
    expect(alone.missing.join(' ')).toContain('No model curve');
    expect(alone.figures.length).toBe(3);
    const nothing = latencyCdfSection({});
    expect(nothing.figures).toEqual([]);
    expect(nothing.missing.join(' ')).toContain('--replay');
  });
});
