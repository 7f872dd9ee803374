// Charts and the district map of a statistics dashboard, drawn from the numbers the page's tables show.
(function () {
  "use strict";
  function read(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }
  var charts = read("stats-charts") || {};
  var palette = ["#1f5f8b", "#d08c2b", "#3b8c5a", "#a23b3b"];

  // Bars for a breakdown, lines for a trend: one series per figure, named as in the table.
  function series(id, data, title, type) {
    var node = document.getElementById(id);
    if (!node || !data || !window.echarts) return;
    var names = Object.keys(data.series);
    echarts.init(node, null, { renderer: "svg" }).setOption({
      title: { text: title, textStyle: { fontSize: 14 } },
      color: palette,
      tooltip: { trigger: "axis" },
      legend: { top: 24 },
      grid: { left: 60, right: 16, top: 64, bottom: type === "bar" ? 90 : 40 },
      xAxis: { type: "category", data: data.labels, axisLabel: type === "bar" ? { rotate: 40, interval: 0 } : {} },
      yAxis: { type: "value" },
      series: names.map(function (name) { return { name: name, type: type, data: data.series[name] }; })
    });
  }

  function recoveries(id, data) {
    var node = document.getElementById(id);
    if (!node || !data || !window.echarts) return;
    echarts.init(node, null, { renderer: "svg" }).setOption({
      title: { text: "Recoveries in kilograms (logarithmic scale)", textStyle: { fontSize: 14 } },
      color: [palette[1]],
      tooltip: { trigger: "axis" },
      grid: { left: 130, right: 24, top: 40, bottom: 30 },
      xAxis: { type: "log", logBase: 10 },
      yAxis: { type: "category", data: data.labels },
      series: [{ type: "bar", data: data.values.map(function (v) { return v && v > 0 ? v : null; }) }]
    });
  }

  function map() {
    var node = document.getElementById("chart-map");
    var values = read("stats-map") || {};
    var url = read("stats-map-url");
    if (!node || !window.L || !url) return;
    var numbers = Object.keys(values).map(function (k) { return values[k] === null ? 0 : Number(values[k]); });
    var top = Math.max.apply(null, numbers.concat([1]));
    var shades = ["#f1f5f9", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"];
    function colour(value) {
      if (value === undefined) return shades[0];
      if (value === null) return "#d9d9d9";
      var step = Math.ceil((Number(value) / top) * (shades.length - 1));
      return shades[Math.max(1, Math.min(shades.length - 1, step))];
    }
    var leaflet = L.map(node, { attributionControl: true, zoomSnap: 0.25 });
    leaflet.attributionControl.addAttribution("Boundaries: OCHA/WFP 2022");
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (geo) {
      var wanted = Object.keys(values);
      var layer = L.geoJSON(geo, {
        style: function (feature) {
          return { color: "#555", weight: 0.6, fillOpacity: 0.85, fillColor: colour(values[feature.properties.pcode]) };
        },
        onEachFeature: function (feature, shape) {
          var v = values[feature.properties.pcode];
          var text = v === undefined ? "no cases" : v === null ? "fewer than the smallest figure shown" : Number(v).toLocaleString() + " cases";
          shape.bindTooltip(feature.properties.name + " (" + feature.properties.province + "): " + text);
        }
      }).addTo(leaflet);
      var focus = L.geoJSON(geo, { filter: function (f) { return wanted.indexOf(f.properties.pcode) >= 0; } });
      var bounds = wanted.length && wanted.length < 160 ? focus.getBounds() : layer.getBounds();
      leaflet.fitBounds(bounds.isValid() ? bounds : layer.getBounds());
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var breakdown = charts.by_agency ? ["By agency", charts.by_agency] : charts.by_district ? ["By district", charts.by_district] : charts.by_province ? ["By province", charts.by_province] : null;
    if (breakdown) series("chart-breakdown", breakdown[1], breakdown[0], "bar");
    var trend = charts.by_year || charts.by_quarter || charts.by_month;
    series("chart-trend", trend, "Over time", "line");
    recoveries("chart-recoveries", charts.recoveries);
    map();
  });
})();
