import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '@mbs/cli';
import { type ConfigurationDocument, formatSeconds } from '@mbs/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/capture-io.js';

// The report of the built-in `mbs solve` plus `mbs simulate`, opened in a real headless Chromium
// with the network off: no console errors, every chart drawn, the SLO line where the data puts it,
// the chosen configuration in the page's text, and a screenshot kept under out/ for people.

/** Debian's chromium; MBS_CHROMIUM points elsewhere. `.ci/run` installs it in CI. */
const CHROMIUM = process.env.MBS_CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
/** Where the screenshot is kept (gitignored). */
const ARTEFACTS = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'out', 'report-browser');
const HOW_TO_GET_CHROMIUM = `Chromium not found at ${CHROMIUM}: install Debian's package (sudo apt-get install -y chromium) or set MBS_CHROMIUM to a Chromium executable; CI installs it in .ci/run.`;

const available = existsSync(CHROMIUM);
if (!available) {
  if (process.env.CI) throw new Error(`[report-browser] ${HOW_TO_GET_CHROMIUM}`);
  console.warn(`[report-browser] skipped. ${HOW_TO_GET_CHROMIUM}`);
}

/** What the page says about one chart. */
interface ChartFacts {
  readonly id: string;
  readonly marks: number;
  readonly seriesMarks: number;
  /** Points the data marks pass through (path commands). */
  readonly vertices: number;
  readonly series: number;
  readonly texts: string[];
  readonly tableRows: number;
}

describe.skipIf(!available)('mbs report in a headless Chromium', () => {
  let directory: string;
  let solve: {
    configuration: ConfigurationDocument;
    constraint: { sloSeconds: number };
    percentile: number;
  };
  let report: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'mbs-report-browser-'));
    const config = join(directory, 'config.json');
    const solved = await runCli(main, ['solve', '--json', '--out', config]);
    expect(solved.code, solved.err).toBe(0);
    solve = solved.json as typeof solve;
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(directory, 'solve.json'), solved.out);
    const simulated = await runCli(main, [
      'simulate',
      '--config',
      config,
      '--trace',
      'synthetic',
      '--requests',
      '30000',
      '--records',
      join(directory, 'replay'),
    ]);
    expect(simulated.code, simulated.err).toBe(0);
    report = join(directory, 'report.html');
    const written = await runCli(main, [
      'report',
      '--solve',
      join(directory, 'solve.json'),
      '--replay',
      join(directory, 'replay'),
      '--out',
      report,
    ]);
    expect(written.code, written.err).toBe(0);
  });
  afterAll(async () => {
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('opens offline with every chart drawn, the SLO line in place and the configuration in the text', async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    try {
      const context = await browser.newContext({
        offline: true,
        viewport: { width: 1440, height: 1000 },
      });
      const requests: string[] = [];
      await context.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith('file:')) return route.continue();
        requests.push(url);
        return route.abort();
      });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(String(error)));
      await page.goto(`file://${report}`, { waitUntil: 'load' });

      const charts: ChartFacts[] = await page.$$eval('figure.chart', (figures) =>
        figures.map((figure) => {
          const svg = figure.querySelector('svg')!;
          const drawn = [...svg.querySelectorAll('path, rect, circle, polyline, polygon')].filter(
            (element) => !element.closest('defs'),
          );
          const data = drawn.filter(
            (element) =>
              element.getAttribute('ecmeta_ssr_type') === 'chart' ||
              element.closest('g[clip-path]') !== null,
          );
          return {
            id: figure.id,
            marks: drawn.length,
            vertices: data.reduce(
              (sum, element) => sum + (element.getAttribute('d')?.match(/[MLCA]/g)?.length ?? 0),
              0,
            ),
            series: Number((figure as HTMLElement).dataset.series),
            // Marks of the data itself: what ECharts tags as chart elements or clips to the plot.
            seriesMarks: data.length,
            texts: [...svg.querySelectorAll('text')].map((text) => text.textContent ?? ''),
            tableRows: figure.querySelectorAll('details tbody tr').length,
          };
        }),
      );
      const buffers = solve.configuration.windows[0]!.system.buffers;
      const ids = charts.map((chart) => chart.id);
      expect(ids).toEqual(
        expect.arrayContaining([
          'ranges-window-0',
          'cdf-system',
          'cost-frontier',
          'padding',
          'quantiles',
          ...buffers.map((_, index) => `cdf-buffer-${index}`),
          ...buffers.map((_, index) => `batches-buffer-${index}`),
        ]),
      );
      for (const chart of charts) {
        expect(chart.seriesMarks, chart.id).toBeGreaterThanOrEqual(chart.series);
        expect(chart.vertices, chart.id).toBeGreaterThanOrEqual(2 * chart.series);
        if (chart.id.startsWith('cdf-')) expect(chart.vertices, chart.id).toBeGreaterThan(300);
        expect(chart.marks, chart.id).toBeGreaterThan(10);
        expect(chart.tableRows, chart.id).toBeGreaterThan(0);
      }
      console.log(
        `[report-browser] ${charts.length} charts; marks per chart (all / data / data vertices): ${charts.map((chart) => `${chart.id} ${chart.marks}/${chart.seriesMarks}/${chart.vertices}`).join(', ')}`,
      );

      // The SLO line: a vertical dashed path in the SLO colour at the x the axis gives the SLO.
      for (const id of ['cdf-system', 'cost-frontier']) {
        const line = await page.$eval(`#${id}`, (figure) => {
          const element = figure as HTMLElement;
          const path = [...figure.querySelectorAll('path')].find(
            (candidate) =>
              candidate.getAttribute('stroke') === '#d62728' &&
              candidate.getAttribute('stroke-dasharray'),
          );
          const match = path?.getAttribute('d')?.match(/^M([\d.]+) ([\d.]+)L([\d.]+) ([\d.]+)$/);
          return {
            slo: Number(element.dataset.lineSlo),
            xMin: Number(element.dataset.xMin),
            xMax: Number(element.dataset.xMax),
            left: Number(element.dataset.plotLeft),
            right: Number(element.dataset.plotRight),
            x1: match ? Number(match[1]) : Number.NaN,
            x2: match ? Number(match[3]) : Number.NaN,
          };
        });
        expect(line.slo).toBe(solve.constraint.sloSeconds);
        const expected =
          line.left + ((line.slo - line.xMin) / (line.xMax - line.xMin)) * (line.right - line.left);
        expect(line.x1, id).toBeCloseTo(line.x2, 6);
        expect(
          Math.abs(line.x1 - expected),
          `${id}: SLO line at ${line.x1} px, expected ${expected} px`,
        ).toBeLessThanOrEqual(1);
        console.log(
          `[report-browser] ${id}: SLO ${line.slo} s drawn at x = ${line.x1} px (expected ${expected.toFixed(1)} px)`,
        );
      }

      const text = (await page.textContent('main')) ?? '';
      buffers.forEach((buffer, index) => {
        const range =
          buffer.firstClass === buffer.lastClass
            ? `${buffer.firstClass}`
            : `${buffer.firstClass}-${buffer.lastClass}`;
        expect(text).toContain(
          `buffer ${index}, classes ${range}: B=${buffer.batchSize}, T=${formatSeconds(buffer.timeoutSeconds)}, M=${buffer.memoryMb} MB`,
        );
      });
      await mkdir(ARTEFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTEFACTS, 'report.png'), fullPage: true });
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
      console.log(
        `[report-browser] console errors ${errors.length}, network requests ${requests.length}; screenshot ${join(ARTEFACTS, 'report.png')}`,
      );
    } finally {
      await browser.close();
    }
  });
});
