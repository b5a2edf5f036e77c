import { describe, expect, it } from 'vitest';
import { buildReport, reportSections } from './build-report.js';
import { parseProfileDocument } from './parse-profile-document.js';
import { sampleRequests, sampleSolveDocument } from './testing/sample-documents.js';

const profile = parseProfileDocument(
  {
    service_time: {
      '1024': [
        [100, 150],
        [200, 300],
        [250, 380],
      ],
      '2048': [
        [60, 90],
        [110, 170],
        [140, 210],
      ],
    },
  },
  'profile.json',
);
const requests = sampleRequests(600);
const batches = Array.from({ length: 200 }, (_, index) => ({
  buffer: index % 2,
  size: 1 + (index % 3),
  paddingShare: 0.1,
  cold: index === 0,
  costUsd: 1e-5,
}));
const inputs = {
  solve: { source: 'solve.json', document: sampleSolveDocument() },
  replay: { source: 'replay-dir', requests, batches },
  profile,
  problems: ['run-dir/invocations.jsonl is missing'],
};

describe('buildReport', () => {
  const html = buildReport(inputs);
  const figures = reportSections(inputs).flatMap((section) => section.figures);

  it('is one offline page: inline SVG, no script, nothing fetched', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(http/i);
    // The only URLs are XML namespaces.
    const urls = html.match(/https?:\/\/[^"'\s<)]+/g) ?? [];
    expect(new Set(urls)).toEqual(
      new Set(['http://www.w3.org/2000/svg', 'http://www.w3.org/1999/xlink']),
    );
  });

  it('gives every chart a title, axis names with units, a legend and a table', () => {
    expect(figures.length).toBeGreaterThanOrEqual(10);
    for (const figure of figures) {
      const start = html.indexOf(`<figure id="${figure.id}"`);
      expect(start).toBeGreaterThan(0);
      const block = html.slice(start, html.indexOf('</figure>', start));
      expect(block).toContain('<svg');
      expect(block).toContain(
        `>${figure.title.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')}</text>`,
      );
      expect(figure.x.label).toMatch(/\(.+\)|buffer|quantile/);
      expect(figure.y.label.length).toBeGreaterThan(0);
      expect(block).toContain('<details>');
      expect(figure.table.rows.length).toBeGreaterThan(0);
      for (const series of figure.series.filter((entry) => entry.kind !== 'heatmap')) {
        expect(block).toContain(
          `>${series.name.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')}</text>`,
        );
      }
    }
    // Element ids are scoped per chart so the SVGs do not clash.
    const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((match) => match[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('shows the chosen configuration, the problems and what it lacks', () => {
    expect(html).toContain('buffer 0, classes 0-1: B=4, T=200 ms, M=1024 MB');
    expect(html).toContain('buffer 1, classes 2: B=2, T=100 ms, M=2048 MB');
    expect(html).toContain('run-dir/invocations.jsonl is missing');
    expect(html).toContain('No cost-vs-SLO sweep');
  });

  it('escapes text from the inputs', () => {
    const hostile = buildReport({ ...inputs, title: '<img src=x onerror=alert(1)>' });
    expect(hostile).not.toContain('<img');
    expect(hostile).toContain('&lt;img src=x');
  });

  it('reports a profile alone', () => {
    const alone = buildReport({ profile });
    expect(alone).toContain('profile-heatmap-class-2');
    expect(alone).toContain('profile-batch-class-0');
    expect(alone).toContain('Not shown');
  });
});
