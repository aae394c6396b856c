/**
 * The only module that touches ECharts. It registers just what the console draws (line and
 * bar charts on a grid with tooltips, a legend and marked areas, canvas renderer), so the chunk stays small,
 * and it is only ever reached through the dynamic import in `load-echarts.ts`.
 */
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkAreaComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([LineChart, BarChart, GridComponent, TooltipComponent, LegendComponent, MarkAreaComponent, CanvasRenderer]);

export { echarts };
