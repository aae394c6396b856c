import { useMemo, useState } from 'react';
import type { CreateAlertRuleRequest } from '../../../api/alerts';
import { ErrorBanner } from '../../../components/error-banner';
import { formatDateTime, formatTime } from '../../../lib/time-format';
import { useAlertPreview, type PreviewRange } from '../api/preview-alert-rule';
import { formatAlertValue } from '../lib/rule-text';
import { useDebounced } from '../lib/use-debounced';
import { ThresholdChart } from './threshold-chart';

/**
 * The draft rule's metric over the last hour or day with its threshold drawn on it, and how
 * many times it would have fired. `rule` is null while the draft is not a valid rule.
 */
export function RulePreview({ pcode, rule, timeZone }: { pcode: string; rule: CreateAlertRuleRequest | null; timeZone: string }) {
  const [range, setRange] = useState<PreviewRange>('1h');
  // Debounced as text: the draft is a new object on every render.
  const settledJson = useDebounced(rule ? JSON.stringify(rule) : '', 400);
  const settled = useMemo(() => (settledJson ? (JSON.parse(settledJson) as CreateAlertRuleRequest) : null), [settledJson]);
  const preview = useAlertPreview(pcode, settled, range);
  const data = preview.data;

  const chart = useMemo(() => {
    if (!data) return null;
    return {
      series: data.series.map((s) => ({ name: s.label, points: s.points.map((p) => [p.time, p.value] as const) })),
      marks: data.firing.map((f) => ({ from: f.from, to: f.to, label: 'firing' })),
      formatValue: (v: number) => formatAlertValue(v, data.unit),
      formatTime: (t: number) => (range === '1h' ? formatTime(t, timeZone) : formatDateTime(t, timeZone)),
    };
  }, [data, range, timeZone]);

  return (
    <section className="rule-preview" aria-label="Preview">
      <div className="rule-preview-head">
        <h3 className="rule-preview-title">Preview</h3>
        <div className="segmented" role="group" aria-label="Preview range">
          {(['1h', '1d'] as const).map((r) => (
            <button key={r} type="button" aria-pressed={range === r} className="segmented-item" onClick={() => setRange(r)}>
              {r === '1h' ? 'Last hour' : 'Last day'}
            </button>
          ))}
        </div>
      </div>
      {!rule && <p className="text-muted">Complete the rule (kind, threshold, scope) to see its metric and when it would have fired.</p>}
      {rule && preview.isError && <ErrorBanner error={preview.error} title="No preview" />}
      {rule && data && chart && (
        <>
          <p className="rule-preview-verdict" role="status">
            {data.wouldFire === 0
              ? `Would not have fired in the last ${range === '1h' ? 'hour' : 'day'}.`
              : `Would have fired ${data.wouldFire} ${data.wouldFire === 1 ? 'time' : 'times'} in the last ${range === '1h' ? 'hour' : 'day'}.`}
          </p>
          <ThresholdChart
            title={`Metric with threshold ${formatAlertValue(data.threshold, data.unit)}`}
            series={chart.series}
            marks={chart.marks}
            from={data.from}
            to={data.to}
            step={data.step}
            threshold={data.threshold}
            thresholdLabel={`${data.comparison === 'above' ? '>' : '<'} ${formatAlertValue(data.threshold, data.unit)}`}
            formatValue={chart.formatValue}
            formatTime={chart.formatTime}
            yMax={data.unit === 'apdex' ? 1 : undefined}
          />
        </>
      )}
      {rule && !data && preview.isFetching && <p className="text-muted">Loading the preview…</p>}
    </section>
  );
}
