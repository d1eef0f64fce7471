// The plan page's chart (ECharts): cost per year stacked by priority tier, and what the budget
// leaves unfunded. Drawn on load and again after htmx swaps in a re-planned #plan-body.
(function () {
  "use strict";
  const COLORS = ["#b42318", "#1d4ed8", "#0e7490", "#7a5af8", "#f79009", "#12b76a", "#98a2b3"];

  function draw() {
    const el = document.querySelector("[data-chart=\"phases\"]");  // no id: htmx would carry the old chart's inline style onto the new one (CSP)
    if (!window.echarts || !el || !el.dataset.series) return;
    const d = JSON.parse(el.dataset.series);  // an attribute, not json_script: htmx drops <script> elements of swapped content
    const chart = window.echarts.getInstanceByDom(el) || window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 16, top: 48, bottom: 8, containLabel: true },
      legend: { top: 0, type: "scroll", textStyle: { fontSize: 11 } },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: (v) => Math.round(v).toLocaleString() },
      xAxis: { type: "category", data: d.categories },
      yAxis: { type: "value", axisLabel: { formatter: (v) => (v >= 10000 ? v / 10000 + "万" : v) } },
      series: d.series.map((s, i) => ({ name: s.name, type: "bar", stack: "cost", data: s.data, itemStyle: { color: COLORS[i % COLORS.length] }, barMaxWidth: 48 })),
    }, true);
    el.dataset.drawn = String(d.series.length);
  }

  document.addEventListener("htmx:afterSettle", draw);
  window.addEventListener("resize", () => { const el = document.querySelector("[data-chart=\"phases\"]"); const c = el && window.echarts && window.echarts.getInstanceByDom(el); if (c) c.resize(); });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
