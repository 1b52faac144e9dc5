/**
 * A horizontal bar chart drawn on the server as SVG: role="img", a <title> and a <desc> named by
 * aria-labelledby, one bar per row; suppressed rows have no bar and say so. The data table next to
 * it carries the same figures for screen readers and keyboard users.
 */
export type Bar = { label: string; value: number | null; text: string };

const WIDTH = 640;
const LABEL = 220;
const ROW = 28;

export function BarChart({
  id,
  title,
  desc,
  bars,
}: {
  id: string;
  title: string;
  desc: string;
  bars: Bar[];
}) {
  const max = Math.max(1, ...bars.map((b) => b.value ?? 0));
  const height = bars.length * ROW + 8;
  const room = WIDTH - LABEL - 90;
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
      {bars.map((b, i) => {
        const y = i * ROW + 4;
        const w = b.value === null ? 0 : Math.max(2, Math.round((room * b.value) / max));
        return (
          <g>
            <text x={LABEL - 8} y={y + 17} text-anchor="end" font-size="13" fill="#1a1a1a">
              {b.label.length > 30 ? `${b.label.slice(0, 29)}…` : b.label}
            </text>
            {w > 0 ? <rect x={LABEL} y={y + 3} width={w} height={ROW - 10} fill="#0066cc" /> : null}
            <text x={LABEL + w + 6} y={y + 17} font-size="13" fill="#1a1a1a">
              {b.text}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
