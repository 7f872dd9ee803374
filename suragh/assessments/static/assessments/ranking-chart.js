// Draws the ranked places as points, resilience across and criminality up (the index's own picture), from the
// data the page carries in #ranking-chart-data (Django's json_script).
(function () {
  "use strict";
  function draw() {
    var box = document.getElementById("ranking-chart");
    var source = document.getElementById("ranking-chart-data");
    if (!box || !source || typeof echarts === "undefined") return;
    var places = JSON.parse(source.textContent);
    if (!places.length) { box.hidden = true; return; }
    var chart = echarts.init(box, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      tooltip: {
        formatter: function (p) { return p.data.name + "<br>Criminality " + p.data.value[1] + " · Resilience " + p.data.value[0]; }
      },
      grid: { left: 48, right: 24, top: 24, bottom: 48 },
      xAxis: { type: "value", name: "Resilience", nameLocation: "middle", nameGap: 28, min: 1, max: 10, interval: 1 },
      yAxis: { type: "value", name: "Criminality", nameLocation: "middle", nameGap: 32, min: 1, max: 10, interval: 1 },
      series: [{
        type: "scatter",
        symbolSize: 12,
        itemStyle: { color: "#2f6fa8" },
        label: { show: true, position: "right", formatter: function (p) { return p.data.name; }, fontSize: 11 },
        data: places.map(function (p) { return { name: p.place, value: [p.resilience, p.criminality] }; })
      }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
