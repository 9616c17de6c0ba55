// A tiny SVG line chart (no library): series of [x, y] points on shared axes.
const W = 640;
const H = 240;
const M = { top: 14, right: 16, bottom: 30, left: 72 };

function ticks(min, max, count) {
  if (max === min) return [min];
  const raw = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((f) => f * power).find((s) => s >= raw) || raw;
  const out = [];
  for (let v = Math.ceil(min / step) * step; v <= max + 1e-9; v += step) out.push(v);
  return out;
}

function text(value) {
  return String(value).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
}

function fmt(value) {
  return Math.abs(value) >= 10000 ? value.toLocaleString("en-US") : String(Math.round(value * 100) / 100);
}

/**
 * Draw `series` ([{cls, points: [[x, y], …], step}]) into `box`; `xMax` fixes the x axis (seconds).
 * `xLabel` is drawn under the axis. Empty series draw empty axes.
 */
export function lineChart(box, series, { xMax, xLabel = "", empty = "" } = {}) {
  const points = series.flatMap((s) => s.points);
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const x1 = Math.max(xMax || 0, ...xs, 1);
  let y0 = ys.length ? Math.min(...ys) : 0;
  let y1 = ys.length ? Math.max(...ys) : 1;
  if (y0 === y1) {
    y0 -= Math.max(1, Math.abs(y0) * 0.05);
    y1 += Math.max(1, Math.abs(y1) * 0.05);
  }
  const pad = (y1 - y0) * 0.08;
  y0 -= pad;
  y1 += pad;
  const px = (x) => M.left + (x / x1) * (W - M.left - M.right);
  const py = (y) => H - M.bottom - ((y - y0) / (y1 - y0)) * (H - M.top - M.bottom);
  const parts = [];
  for (const v of ticks(y0, y1, 4)) {
    parts.push(`<line class="grid" x1="${M.left}" x2="${W - M.right}" y1="${py(v)}" y2="${py(v)}"/>`);
    parts.push(`<text class="tick" x="${M.left - 6}" y="${py(v) + 4}" text-anchor="end">${fmt(v)}</text>`);
  }
  for (const v of ticks(0, x1, 6)) {
    parts.push(`<text class="tick" x="${px(v)}" y="${H - M.bottom + 16}" text-anchor="middle">${fmt(v)}</text>`);
  }
  parts.push(`<line class="axis" x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}"/>`);
  parts.push(`<line class="axis" x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${H - M.bottom}"/>`);
  parts.push(`<text class="tick" x="${W - M.right}" y="${H - 2}" text-anchor="end">${text(xLabel)}</text>`);
  for (const s of series) {
    if (!s.points.length) continue;
    const path = [];
    s.points.forEach(([x, y], i) => {
      if (i && s.step) path.push(`${px(x)},${py(s.points[i - 1][1])}`);
      path.push(`${px(x)},${py(y)}`);
    });
    parts.push(`<polyline class="series ${s.cls}" points="${path.join(" ")}"/>`);
    const [lx, ly] = s.points[s.points.length - 1];
    parts.push(`<circle class="dot ${s.cls}" cx="${px(lx)}" cy="${py(ly)}" r="3"/>`);
  }
  if (!points.length && empty) {
    parts.push(`<text class="tick" x="${W / 2}" y="${H / 2}" text-anchor="middle">${text(empty)}</text>`);
  }
  box.innerHTML = `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" preserveAspectRatio="xMidYMid meet">${parts.join("")}</svg>`;
}
