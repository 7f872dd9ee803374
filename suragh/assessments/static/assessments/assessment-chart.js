// Draws an assessment's scores as horizontal bars, one colour per pillar, from the data the page carries
// in #assessment-chart-data (Django's json_script). Unscored indicators show as gaps.
(function () {
  "use strict";
  function draw() {
    var box = document.getElementById("assessment-chart");
    var source = document.getElementById("assessment-chart-data");
    if (!box || !source || typeof echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    var colours = ["#b4432f", "#d08a2c", "#2f6fa8"];
    var names = [];
    var series = data.pillars.map(function (pillar, index) {
      return { name: pillar.label, type: "bar", stack: "score", itemStyle: { color: colours[index % colours.length] }, data: [] };
    });
    data.pillars.forEach(function (pillar, index) {
      pillar.indicators.forEach(function (indicator) {
        names.push(indicator.name);
        series.forEach(function (s, j) { s.data.push(j === index ? indicator.score : null); });
      });
    });
    var f = data.figures;
    var chart = echarts.init(box, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      title: {
        text: "Criminality " + (f.criminality || "—") + " · Resilience " + (f.resilience || "—"),
        subtext: "Markets " + (f.criminal_markets || "—") + " · Actors " + (f.criminal_actors || "—"),
        left: 0
      },
      legend: { top: 0, right: 0 },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 8, right: 24, top: 64, bottom: 8, containLabel: true },
      xAxis: { type: "value", min: 0, max: 10, interval: 1 },
      yAxis: { type: "category", data: names, inverse: true, axisLabel: { fontSize: 11 } },
      series: series
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
