/**
 * The forecast chart: an SVG drawn on the server (no script), `role="img"` with a `<title>` and a
 * `<desc>`; the page puts the same figures in a table next to it. Colours have at least 3:1 contrast
 * on white, and the lines differ by pattern too (solid, dashed, dotted), not only by colour.
 */

export type ChartSeries = {
  labels: string[];
  /** Weekly demand recorded (null where the week is in the future). */
  history: (number | null)[];
  /** What the model predicted for the held-out weeks (null elsewhere). */
  backtest: (number | null)[];
  /** The forecast (null where the week is in the past). */
  forecast: (number | null)[];
  /** Free seats planned (null where the week is in the past). */
  capacity: (number | null)[];
};

export type ChartText = {
  title: string;
  desc: string;
  history: string;
  backtest: string;
  forecast: string;
  capacity: string;
};

const W = 760;
const H = 320;
const PAD = { left: 48, right: 12, top: 16, bottom: 86 };
const COLOURS = { history: '#0066cc', backtest: '#8a5a00', forecast: '#a1125b', capacity: '#5c6f82' };

/** A round step for about four grid lines: 1, 2 or 5 times a power of ten, at least 1 (counts). */
export function niceStep(max: number): number {
  const raw = Math.max(1, max / 4);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * magnitude >= raw) return m * magnitude;
  return 10 * magnitude;
}

export function ForecastChart({
  id,
  data,
  text,
  format = String,
}: {
  id: string;
  data: ChartSeries;
  text: ChartText;
  /** Formats the axis numbers in the page's language. */
  format?: (v: number) => string;
}) {
  const n = data.labels.length;
  const values = [...data.history, ...data.backtest, ...data.forecast, ...data.capacity].filter(
    (v): v is number => v !== null,
  );
  const tick = niceStep(Math.max(0, ...values));
  const max = Math.max(tick, Math.ceil(Math.max(0, ...values) / tick) * tick);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const step = n > 0 ? plotW / n : plotW;
  const x = (i: number) => PAD.left + step * (i + 0.5);
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const path = (series: (number | null)[]) => {
    let d = '';
    let pen = false;
    series.forEach((v, i) => {
      if (v === null) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)} ${y(v).toFixed(1)} `;
      pen = true;
    });
    return d.trim();
  };
  const ticks = Array.from({ length: Math.round(max / tick) + 1 }, (_, i) => i * tick);
  const labelEvery = Math.max(1, Math.ceil(n / 12));
  const legend = [
    { key: 'capacity', label: text.capacity, dash: undefined, bar: true },
    { key: 'history', label: text.history, dash: undefined, bar: false },
    { key: 'backtest', label: text.backtest, dash: '2 3', bar: false },
    { key: 'forecast', label: text.forecast, dash: '7 4', bar: false },
  ] as const;
  return (
    <svg
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      viewBox={`0 0 ${W} ${H}`}
      width="100%"
      preserveAspectRatio="xMidYMid meet"
      direction="ltr"
      font-family="sans-serif"
      font-size="12"
    >
      <title id={`${id}-title`}>{text.title}</title>
      <desc id={`${id}-desc`}>{text.desc}</desc>
      {ticks.map((v) => (
        <g>
          <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} stroke="#d9dadb" stroke-width="1" />
          <text x={PAD.left - 6} y={y(v) + 4} text-anchor="end" fill="#1a1a1a">
            {format(v)}
          </text>
        </g>
      ))}
      {data.capacity.map((v, i) =>
        v === null ? null : (
          <rect
            x={x(i) - step * 0.35}
            y={y(v)}
            width={step * 0.7}
            height={Math.max(0, PAD.top + plotH - y(v))}
            fill={COLOURS.capacity}
            fill-opacity="0.35"
            stroke={COLOURS.capacity}
          />
        ),
      )}
      <path d={path(data.history)} fill="none" stroke={COLOURS.history} stroke-width="2" />
      <path
        d={path(data.backtest)}
        fill="none"
        stroke={COLOURS.backtest}
        stroke-width="2"
        stroke-dasharray="2 3"
      />
      <path
        d={path(data.forecast)}
        fill="none"
        stroke={COLOURS.forecast}
        stroke-width="2.5"
        stroke-dasharray="7 4"
      />
      {data.labels.map((label, i) =>
        i % labelEvery === 0 || i === n - 1 ? (
          <text
            x={x(i)}
            y={PAD.top + plotH + 14}
            text-anchor="end"
            fill="#1a1a1a"
            transform={`rotate(-40 ${x(i)} ${PAD.top + plotH + 14})`}
          >
            {label}
          </text>
        ) : null,
      )}
      <line
        x1={PAD.left}
        x2={W - PAD.right}
        y1={PAD.top + plotH}
        y2={PAD.top + plotH}
        stroke="#1a1a1a"
        stroke-width="1"
      />
      {legend.map((l, i) => {
        const lx = PAD.left + (i % 2) * 330;
        const ly = H - 26 + Math.floor(i / 2) * 16;
        return (
          <g>
            {l.bar ? (
              <rect
                x={lx}
                y={ly - 9}
                width="24"
                height="10"
                fill={COLOURS[l.key]}
                fill-opacity="0.35"
                stroke={COLOURS[l.key]}
              />
            ) : (
              <line
                x1={lx}
                x2={lx + 24}
                y1={ly - 4}
                y2={ly - 4}
                stroke={COLOURS[l.key]}
                stroke-width="2.5"
                stroke-dasharray={l.dash}
              />
            )}
            <text x={lx + 30} y={ly} fill="#1a1a1a">
              {l.label}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
