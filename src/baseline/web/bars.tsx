/**
 * A horizontal bar chart with one or two series, drawn on the server as SVG: role="img", a <title>
 * and a <desc> (the figures in words) named by aria-labelledby. The data table under each chart
 * carries the same figures. Colours are the Region's blue and a dark grey (contrast ≥ 4.5:1 on white).
 */
export type SeriesBar = { label: string; values: (number | null)[]; texts: string[] };

const WIDTH = 680;
const LABEL = 260;
const BAR = 12;
const COLOURS = ['#0066cc', '#5c6f82'];

export function GroupedBars({
  id,
  title,
  desc,
  series,
  bars,
  max,
}: {
  id: string;
  title: string;
  desc: string;
  /** The series' names, shown in the legend. */
  series: string[];
  bars: SeriesBar[];
  max?: number;
}) {
  const top = max ?? Math.max(1, ...bars.flatMap((b) => b.values.map((v) => v ?? 0)));
  const row = series.length * (BAR + 4) + 12;
  const legend = 24;
  const height = legend + bars.length * row + 4;
  const room = WIDTH - LABEL - 80;
  return (
    <svg
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      viewBox={`0 0 ${WIDTH} ${height}`}
      width="100%"
      height={height}
      preserveAspectRatio="xMinYMin meet"
    >
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{desc}</desc>
      {series.map((name, s) => (
        <g>
          <rect x={LABEL + s * 160} y={4} width={12} height={12} fill={COLOURS[s % COLOURS.length]} />
          <text x={LABEL + s * 160 + 18} y={15} font-size="13" fill="#1a1a1a">
            {name}
          </text>
        </g>
      ))}
      {bars.map((b, i) => {
        const y = legend + i * row;
        return (
          <g>
            <text x={LABEL - 8} y={y + row / 2 + 2} text-anchor="end" font-size="12" fill="#1a1a1a">
              {b.label.length > 38 ? `${b.label.slice(0, 37)}…` : b.label}
            </text>
            {b.values.map((v, s) => {
              const w = v === null || v === 0 ? 0 : Math.max(2, Math.round((room * v) / top));
              const by = y + 4 + s * (BAR + 4);
              return (
                <g>
                  {w > 0 ? (
                    <rect x={LABEL} y={by} width={w} height={BAR} fill={COLOURS[s % COLOURS.length]} />
                  ) : null}
                  <text x={LABEL + w + 6} y={by + BAR - 1} font-size="12" fill="#1a1a1a">
                    {b.texts[s] ?? ''}
                  </text>
                </g>
              );
            })}
          </g>
        );
      })}
    </svg>
  );
}
