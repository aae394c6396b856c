/** The ECharts namespace as registered in `echarts-setup.ts`. */
export type Echarts = typeof import('./echarts-setup').echarts;
export type EchartsInstance = ReturnType<Echarts['init']>;

let loading: Promise<Echarts> | null = null;

/**
 * Loads ECharts on first use. A dynamic import keeps it out of the first-load bundle
 * (budget: 250 KB gzip for the whole console); every chart shares the one promise.
 * A failed load is forgotten so the next chart can retry.
 */
export function loadEcharts(): Promise<Echarts> {
  loading ??= import('./echarts-setup').then(
    (m) => m.echarts,
    (err: unknown) => {
      loading = null;
      throw err;
    },
  );
  return loading;
}
