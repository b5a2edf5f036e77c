/** The report's style sheet: readable on a laptop, one chart per row when printed. */
export const PAGE_STYLE = `
:root { color-scheme: light; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; background: #fafafa; margin: 0; }
header, main { max-width: 1520px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 16px; }
h1 { font-size: 26px; margin: 8px 0; }
h2 { font-size: 20px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
h2.inputs { font-size: 16px; border: 0; margin: 8px 0 0; }
nav { margin: 8px 0 0; font-size: 14px; }
nav a { color: #1f5fbf; }
p { max-width: 110ch; }
.generated { color: #555; margin: 0; }
.problems { background: #fff4e5; border-left: 4px solid #e66a00; padding: 8px 12px; margin: 12px 0; }
.missing { background: #f1f1f1; border-left: 4px solid #999; padding: 6px 12px; margin: 12px 0; font-size: 14px; }
.missing ul, .problems ul { margin: 4px 0; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(620px, 1fr)); gap: 16px; }
figure.chart { background: #fff; border: 1px solid #e2e2e2; border-radius: 6px; margin: 0; padding: 8px; break-inside: avoid; page-break-inside: avoid; }
figure.chart .svg svg { width: 100%; height: auto; display: block; }
figcaption { font-size: 13px; color: #444; margin: 4px 6px; }
details { font-size: 13px; margin: 4px 6px; }
details > summary { cursor: pointer; color: #1f5fbf; }
details table { max-height: none; }
.table { overflow-x: auto; }
table { border-collapse: collapse; font-size: 13px; margin: 6px 0; background: #fff; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border: 1px solid #ddd; padding: 2px 8px; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
thead th { background: #f3f3f3; }
@media print {
  body { background: #fff; font-size: 11pt; }
  header, main { max-width: none; padding: 0; }
  nav { display: none; }
  .figures { display: block; }
  figure.chart { border: 0; margin: 0 0 12pt; }
  details { display: none; }
}
`;
