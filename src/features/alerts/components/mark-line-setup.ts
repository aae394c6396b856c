/**
 * Registers ECharts' markLine component, which the shared setup (src/components/charts) does not
 * load. Reached only through a dynamic import, like the shared setup, so it stays out of the
 * first load; ECharts' registry is global, so every chart can then draw mark lines.
 */
import * as echarts from 'echarts/core';
import { MarkLineComponent } from 'echarts/components';

echarts.use([MarkLineComponent]);
