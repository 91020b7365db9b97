/**
 * One ECharts canvas. Only the bar chart and the components it uses are registered: the import
 * is from `echarts/core`, so the bundler keeps just these (and this module is reached only from
 * the analytics screen's lazy chunk, never from the first load).
 */
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import type { EChartsCoreOption } from 'echarts/core';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

/** A bar chart series. */
export interface BarSeries {
  name: string;
  values: Array<number | null>;
}

/**
 * Bars per category (`horizontal` puts categories on the y axis, for long stage names on a
 * phone). The table under every chart carries the exact numbers; the chart is the shape.
 */
export function Bars({
  categories,
  series,
  horizontal = false,
  height = 240,
  testId,
}: {
  categories: string[];
  series: BarSeries[];
  horizontal?: boolean;
  height?: number;
  testId?: string;
}) {
  const el = useRef<HTMLDivElement>(null);
  // Redraw when the figures change, not when a parent re-renders with equal new arrays.
  const spec = JSON.stringify({ categories, series, horizontal });
  useEffect(() => {
    if (!el.current) return;
    const { categories, series, horizontal } = JSON.parse(spec) as {
      categories: string[];
      series: BarSeries[];
      horizontal: boolean;
    };
    const chart = echarts.init(el.current, undefined, { renderer: 'canvas' });
    const cat = { type: 'category' as const, data: categories, inverse: horizontal };
    const val = { type: 'value' as const };
    const option: EChartsCoreOption = {
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: series.length > 1 ? { top: 0 } : undefined,
      grid: { left: 8, right: 16, top: series.length > 1 ? 28 : 8, bottom: 8, containLabel: true },
      xAxis: horizontal ? val : cat,
      yAxis: horizontal ? cat : val,
      series: series.map((s) => ({ type: 'bar', name: s.name, data: s.values })),
    };
    chart.setOption(option);
    const onResize = () => chart.resize();
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      chart.dispose();
    };
  }, [spec]);
  return <div ref={el} data-testid={testId} style={{ width: '100%', height }} />;
}
