// TaskFlow dashboard behaviour. Loaded as a file (the CSP forbids inline scripts); no eval.
(function () {
  "use strict";

  // Every htmx request carries the session's CSRF token.
  document.addEventListener("htmx:configRequest", function (e) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta && meta.content) e.detail.headers["X-CSRF-Token"] = meta.content;
  });

  // Buttons with data-confirm ask first.
  document.addEventListener("click", function (e) {
    var b = e.target.closest("[data-confirm]");
    if (b && !window.confirm(b.getAttribute("data-confirm"))) e.preventDefault();
  });

  // Select all on this page.
  document.addEventListener("change", function (e) {
    if (e.target.id === "select-all") {
      document.querySelectorAll('#bulk-form input[name="id"]').forEach(function (c) {
        c.checked = e.target.checked;
      });
    }
  });

  // Live swaps keep what the user selected: checked rows and the chosen bulk action.
  var kept = null;
  document.addEventListener("htmx:sseBeforeMessage", function (e) {
    if (!document.getElementById("bulk-form")) return;
    var ids = [];
    document.querySelectorAll('#bulk-form input[name="id"]:checked').forEach(function (c) {
      ids.push(c.value);
    });
    var action = document.getElementById("bulk-action");
    var all = document.getElementById("select-all");
    kept = { ids: ids, action: action ? action.value : null, all: all ? all.checked : false };
  });

  function restore() {
    if (!kept) return;
    document.querySelectorAll('#bulk-form input[name="id"]').forEach(function (c) {
      if (kept.ids.indexOf(c.value) >= 0) c.checked = true;
    });
    var action = document.getElementById("bulk-action");
    if (action && kept.action) action.value = kept.action;
    var all = document.getElementById("select-all");
    if (all) all.checked = kept.all;
    kept = null;
  }

  // The throughput chart (uPlot), fed by the data attribute the live fragment carries.
  var chart = null;
  function css(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  }
  function drawChart() {
    var host = document.getElementById("throughput-chart");
    var data = document.getElementById("throughput-data");
    if (!host || !data || typeof uPlot === "undefined") return;
    var series;
    try {
      series = JSON.parse(data.getAttribute("data-series"));
    } catch (err) {
      return;
    }
    if (chart) {
      chart.setData(series);
      return;
    }
    var axis = { stroke: css("--pico-muted-color"), grid: { stroke: css("--tf-border"), width: 1 }, ticks: { stroke: css("--tf-border") } };
    chart = new uPlot(
      {
        width: host.clientWidth || 600,
        height: 200,
        cursor: { drag: { x: false, y: false } },
        scales: { y: { range: function (u, min, max) { return [0, Math.max(5, max)]; } } },
        axes: [axis, Object.assign({}, axis, { size: 40 })],
        series: [
          {},
          { label: "completed/s", stroke: css("--tf-completed"), fill: "rgba(22,163,74,0.10)", width: 2 },
          { label: "failed/s", stroke: css("--tf-failed"), fill: "rgba(220,38,38,0.10)", width: 2 },
        ],
      },
      series,
      host
    );
    window.addEventListener("resize", function () {
      chart.setSize({ width: host.clientWidth, height: 200 });
    });
  }

  function afterSwap() {
    restore();
    drawChart();
  }
  document.addEventListener("htmx:afterSettle", afterSwap);
  document.addEventListener("htmx:sseMessage", afterSwap);
  document.addEventListener("htmx:sseOpen", function () {
    document.body.classList.add("live-on");
    document.body.classList.remove("live-off");
  });
  document.addEventListener("htmx:sseError", function () {
    document.body.classList.add("live-off");
    document.body.classList.remove("live-on");
  });
  document.addEventListener("DOMContentLoaded", drawChart);
})();
