// The catalog page's bar chart: requirements per area, required vs optional (ECharts).
(function () {
  "use strict";
  const COLORS = { required: "#b42318", optional: "#98a2b3" };

  function render() {
    const el = document.getElementById("area-chart");
    const source = document.getElementById("area-chart-data");
    if (!el || !source || !window.echarts) return;
    const data = JSON.parse(source.textContent);
    const chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      legend: { top: 0, right: 0 },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "category", data: data.areas, axisLabel: { interval: 0, fontSize: 11, width: 96, overflow: "break" } },
      yAxis: { type: "value", minInterval: 1 },
      series: data.series.map((s) => ({
        name: s.name,
        type: "bar",
        stack: "level",
        data: s.data,
        itemStyle: { color: COLORS[s.level] },
        barMaxWidth: 36,
      })),
    });
    window.addEventListener("resize", () => chart.resize());
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", render);
  } else {
    render();
  }
})();
