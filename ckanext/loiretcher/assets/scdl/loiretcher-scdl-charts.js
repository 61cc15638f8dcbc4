/* Charts of an SCDL dataset page (loiretcher/scdl/chart.html).
 *
 * Each figure carries its numbers in data-module-chart and shows them as a
 * table. This module draws the chart with the vendored Chart.js and hides the
 * table visually only: screen readers keep reading it (the canvas is
 * aria-hidden), and without JavaScript the table is all there is.
 */
this.ckan.module("loiretcher-scdl-chart", function ($) {
  "use strict";

  var PALETTE = ["#005a8c", "#e07b00", "#3b8c2a", "#b0306a", "#6b4fa0",
                 "#2f8f9d", "#8c6d1f", "#c0392b", "#566573", "#1f618d"];

  return {
    options: { chart: null },

    initialize: function () {
      var spec = this.options.chart;
      if (typeof spec === "string") {
        try { spec = JSON.parse(spec); } catch (e) { return; }
      }
      if (!spec || !spec.values || !spec.values.length || !window.Chart) {
        return;
      }
      var horizontal = spec.kind === "hbar";
      var round = spec.kind === "doughnut";
      var holder = this.el.find(".loiretcher-chart-canvas");
      holder.css("position", "relative");
      if (horizontal) {
        holder.css("height", Math.max(160, spec.values.length * 32) + "px");
      }
      if (round) {
        holder.css("max-width", "520px");
      }
      var canvas = document.createElement("canvas");
      holder.append(canvas);
      var lang = document.documentElement.lang || "fr";
      var number = new Intl.NumberFormat(lang, spec.money
        ? { style: "currency", currency: "EUR", maximumFractionDigits: 0 }
        : { maximumFractionDigits: 0 });
      new window.Chart(canvas, {
        type: round ? "doughnut" : "bar",
        data: {
          labels: spec.labels,
          datasets: [{
            label: spec.label,
            data: spec.values,
            backgroundColor: round ? PALETTE : PALETTE[0]
          }]
        },
        options: {
          indexAxis: horizontal ? "y" : "x",
          responsive: true,
          maintainAspectRatio: !horizontal,
          animation: false,
          aspectRatio: round ? 1.6 : 2,
          plugins: {
            legend: { display: round, position: "right" },
            tooltip: {
              callbacks: {
                label: function (item) { return number.format(item.raw); }
              }
            }
          },
          scales: round ? {} : {
            [horizontal ? "x" : "y"]: {
              ticks: { callback: function (value) { return number.format(value); } }
            }
          }
        }
      });
      this.el.find(".loiretcher-chart-table").addClass("visually-hidden");
    }
  };
});
