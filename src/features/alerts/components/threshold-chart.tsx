import { useMemo } from 'react';
import { loadEcharts } from '../../../components/charts/load-echarts';
import { TimeSeriesChart, type ChartVariant } from '../../../components/charts/time-series-chart';
import { buildThresholdOption, type ThresholdOptions } from './threshold-option';

/** Loads ECharts with the markLine component the threshold needs. */
async function loadWithMarkLine() {
  const [echarts] = await Promise.all([loadEcharts(), import('./mark-line-setup')]);
  return echarts;
}

/**
 * The shared time-series chart with the rule's threshold line. Its legend only names the series
 * (the threshold is drawn on the first one), and it has no data when every value is a gap.
 * Series names come from agents: the shared chart shows them as text and escapes them in the tooltip.
 */
export function ThresholdChart({
  threshold,
  thresholdLabel,
  height = 200,
  ...props
}: ThresholdOptions & { title: string; height?: number }) {
  const variant = useMemo<ChartVariant>(
    () => ({
      load: loadWithMarkLine,
      buildOption: (o) => buildThresholdOption({ ...o, threshold, thresholdLabel }),
      fixedLegend: true,
      isEmpty: (series) => series.every((s) => s.points.every((p) => p[1] === null)),
    }),
    [threshold, thresholdLabel],
  );
  return <TimeSeriesChart {...props} height={height} variant={variant} />;
}
