import { escapeHtml } from './escape-html';

/** The part of ECharts' tooltip callback parameter that the console uses. */
export interface AxisTooltipParam {
  seriesName?: string;
  value?: unknown;
  color?: unknown;
}

// Only colours we could have set ourselves reach the style attribute.
const safeColor = /^(#[0-9a-fA-F]{3,8}|rgba?\([\d\s.,%]+\))$/;

function swatch(color: unknown): string {
  if (typeof color !== 'string' || !safeColor.test(color)) return '';
  return `<span style="display:inline-block;width:8px;height:8px;border-radius:50%;margin-right:6px;background:${color}"></span>`;
}

/**
 * Builds the HTML of an axis tooltip. Every piece of text is escaped: series names are agent
 * object names, which agents choose, so they must never be rendered as markup.
 */
export function formatAxisTooltip(
  params: AxisTooltipParam | AxisTooltipParam[],
  formatValue: (v: number) => string,
  formatTime: (t: number) => string,
): string {
  const list = Array.isArray(params) ? params : [params];
  let time: number | undefined;
  const lines: string[] = [];
  for (const p of list) {
    const pair = Array.isArray(p.value) ? p.value : [];
    const t = pair[0];
    const v = pair[1];
    if (time === undefined && typeof t === 'number') time = t;
    const shown = typeof v === 'number' && Number.isFinite(v) ? formatValue(v) : '—';
    lines.push(`${swatch(p.color)}${escapeHtml(p.seriesName ?? '')}: <b>${escapeHtml(shown)}</b>`);
  }
  const head = time === undefined ? '' : `${escapeHtml(formatTime(time))}<br/>`;
  return head + lines.join('<br/>');
}
