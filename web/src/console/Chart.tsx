// A bar chart drawn as SVG (no chart library): one bar per day, a few labelled gridlines, and the same numbers in
// a visually hidden table for screen readers.
import { formatDay } from "./format";

export interface DayCount {
  date: string;
  count: number;
}

const WIDTH = 720;
const HEIGHT = 220;
const MARGIN = { top: 12, right: 8, bottom: 28, left: 36 };

export function BarChart(props: { title: string; data: DayCount[] }) {
  const { data } = props;
  const max = Math.max(1, ...data.map((d) => d.count));
  const ticks = niceTicks(max);
  const top = ticks[ticks.length - 1];
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const step = plotWidth / Math.max(1, data.length);
  const barWidth = Math.max(2, step * 0.7);
  const y = (v: number) => MARGIN.top + plotHeight - (v / top) * plotHeight;
  const labelEvery = Math.ceil(data.length / 8);
  const total = data.reduce((sum, d) => sum + d.count, 0);

  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby="chart-title chart-desc" preserveAspectRatio="xMidYMid meet">
        <title id="chart-title">{props.title}</title>
        <desc id="chart-desc">{`${total} in the last ${data.length} days; the busiest day had ${max === 1 && total === 0 ? 0 : max}.`}</desc>
        {ticks.map((t) => (
          <g key={t}>
            <line class="grid" x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={y(t)} y2={y(t)} />
            <text class="axis" x={MARGIN.left - 6} y={y(t) + 4} text-anchor="end">{t}</text>
          </g>
        ))}
        {data.map((d, i) => (
          <g key={d.date}>
            <rect class="bar" x={MARGIN.left + i * step + (step - barWidth) / 2} y={y(d.count)} width={barWidth}
              height={Math.max(0, MARGIN.top + plotHeight - y(d.count))}>
              <title>{`${formatDay(d.date)}: ${d.count}`}</title>
            </rect>
            {i % labelEvery === 0 && (
              <text class="axis" x={MARGIN.left + i * step + step / 2} y={HEIGHT - 8} text-anchor="middle">{formatDay(d.date)}</text>
            )}
          </g>
        ))}
      </svg>
      <figcaption>{props.title}</figcaption>
      {/* A table cannot be shrunk below its content, so its wrapper is what is hidden. */}
      <div class="visually-hidden">
        <table>
          <caption>{props.title}</caption>
          <thead><tr><th scope="col">Day</th><th scope="col">Count</th></tr></thead>
          <tbody>{data.map((d) => <tr key={d.date}><td>{d.date}</td><td>{d.count}</td></tr>)}</tbody>
        </table>
      </div>
    </figure>
  );
}

/** Gridline values 0..top with a round step, so the axis reads 0, 5, 10 rather than 0, 3.33, 6.67. */
export function niceTicks(max: number): number[] {
  const rough = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(Math.max(1, rough)));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude;
  const ticks: number[] = [];
  for (let v = 0; v < max + step; v += step) ticks.push(v);
  return ticks;
}
