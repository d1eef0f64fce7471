// The dashboards' charts (ECharts). Each chart is a <div data-chart="kind" data-source="id">
// whose data sits in a <script type="application/json" id="id"> written by Django's json_script.
(function () {
  "use strict";
  const COLORS = { rate: "#1d4ed8", completeness: "#98a2b3", bar: "#1d4ed8" };

  function data(el) {
    const source = document.getElementById(el.dataset.source);
    return source ? JSON.parse(source.textContent) : null;
  }

  const builders = {
    // districts ranked by compliance rate, with data completeness beside it
    districts: function (d) {
      return {
        grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
        legend: { top: 0, right: 0 },
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: (v) => (v == null ? "—" : v + "%") },
        xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
        yAxis: { type: "category", data: d.names, inverse: true, axisLabel: { fontSize: 11 } },
        series: ["rate", "completeness"].map((key) => ({
          name: d.labels[key], type: "bar", data: d[key], itemStyle: { color: COLORS[key] }, barMaxWidth: 14,
        })),
      };
    },
    // one area: required results met / gap / violation / unknown
    area: function (d) {
      return {
        tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
        legend: { bottom: 0, itemWidth: 10, itemHeight: 10, textStyle: { fontSize: 11 } },
        series: [{
          type: "pie", radius: ["42%", "70%"], center: ["50%", "44%"], label: { show: false },
          data: d.map((s) => ({ name: s.name, value: s.value, url: s.url, itemStyle: { color: s.color } })),
        }],
      };
    },
    // schools per compliance-rate band
    distribution: function (d) {
      return {
        grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        xAxis: { type: "category", data: d.labels, axisLabel: { interval: 0, fontSize: 11 } },
        yAxis: { type: "value", minInterval: 1, name: d.name },
        series: [{ name: d.name, type: "bar", data: d.counts, itemStyle: { color: COLORS.bar }, barMaxWidth: 40, cursor: "pointer" }],
      };
    },
  };

  // drill-down: a bar or a segment opens the list behind it (the URL comes with the data)
  const links = {
    districts: (d, p) => d.urls && d.urls[p.dataIndex],
    area: (d, p) => p.data && p.data.url,
    distribution: (d, p) => d.urls && d.urls[p.dataIndex],
  };

  function render() {
    if (!window.echarts) return;
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      const build = builders[el.dataset.chart];
      const d = data(el);
      if (!build || !d) return;
      const chart = window.echarts.getInstanceByDom(el) || window.echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(Object.assign({ animation: false }, build(d)), true);
      const link = links[el.dataset.chart];
      chart.off("click");
      chart.on("click", function (p) {
        const url = link && link(d, p);
        if (url) window.location.href = url;
      });
      window.addEventListener("resize", () => chart.resize());
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", render);
  } else {
    render();
  }
})();
