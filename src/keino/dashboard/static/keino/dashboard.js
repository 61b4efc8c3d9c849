/* Keino dashboard charts: progressive enhancement of <figure class="chart">.
 *
 * Each figure holds a table (the accessible equivalent, always rendered by the server), a
 * <div class="chart-canvas"><canvas></canvas></div> and a
 * <script type="application/json" class="chart-data"> with the chart's spec:
 *
 *   {"kind": "bar" | "hbar" | "line", "labels": [...], "values": [...],
 *    "hrefs": [url or null per point], "series_label": "...",
 *    "value_format": "eur" | "percent" | "number", "aria_label": "..."}
 *
 * Values may be numbers or numeric strings (Django's JSON encoder writes Decimals as strings);
 * "percent" values are fractions (0.125 is 12.5 %). Without Chart.js, or with a spec it cannot
 * read, a figure is left as it is: the table alone.
 */
(function () {
  "use strict";

  var DRAWN = "chartDrawn"; // data-chart-drawn on a canvas that has its chart
  var KINDS = { bar: true, hbar: true, line: true };
  var HBAR_ROW_PX = 28;
  var HBAR_AXIS_PX = 56; // the value axis's ticks and title below the bars
  var HBAR_MIN_PX = 160;
  var AXIS_LABEL_MAX_CHARS = 28;
  var AXIS_LABEL_CHAR_PX = 7; // roughly, at the 13px tick font

  function cssValue(element, name, fallback) {
    var value = getComputedStyle(element).getPropertyValue(name).trim();
    return value || fallback;
  }

  function numberFormats(valueFormat) {
    var lang = document.documentElement.lang || undefined;
    if (valueFormat === "eur") {
      return {
        axis: new Intl.NumberFormat(lang, {
          style: "currency", currency: "EUR", minimumFractionDigits: 0, maximumFractionDigits: 0,
        }),
        tooltip: new Intl.NumberFormat(lang, {
          style: "currency", currency: "EUR", minimumFractionDigits: 2, maximumFractionDigits: 2,
        }),
      };
    }
    if (valueFormat === "percent") {
      return {
        axis: new Intl.NumberFormat(lang, {
          style: "percent", minimumFractionDigits: 0, maximumFractionDigits: 1,
        }),
        tooltip: new Intl.NumberFormat(lang, {
          style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1,
        }),
      };
    }
    var plain = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });
    return { axis: plain, tooltip: plain };
  }

  function toNumber(value) {
    if (value === null || value === undefined || value === "") {
      return null;
    }
    var number = Number(value);
    return isFinite(number) ? number : null;
  }

  // Only same-origin links are followed: the hrefs are the dashboard's own drill-down URLs.
  function sameOriginUrl(href) {
    if (typeof href !== "string" || href === "") {
      return null;
    }
    try {
      var url = new URL(href, window.location.href);
      return url.origin === window.location.origin ? url.href : null;
    } catch (error) {
      return null;
    }
  }

  function readSpec(figure) {
    // .chart-data marks the spec; a lone JSON script (as Django's json_script writes it, with an
    // id and no class) is accepted too.
    var element = figure.querySelector('script[type="application/json"].chart-data')
      || figure.querySelector('script[type="application/json"]');
    if (!element) {
      return null;
    }
    var spec;
    try {
      spec = JSON.parse(element.textContent);
    } catch (error) {
      return null;
    }
    if (!spec || !KINDS[spec.kind] || !Array.isArray(spec.labels) || !Array.isArray(spec.values)
        || spec.labels.length !== spec.values.length) {
      return null;
    }
    var hrefs = Array.isArray(spec.hrefs) ? spec.hrefs : [];
    return {
      kind: spec.kind,
      labels: spec.labels.map(String),
      values: spec.values.map(toNumber),
      hrefs: spec.labels.map(function (_, index) { return sameOriginUrl(hrefs[index]); }),
      seriesLabel: typeof spec.series_label === "string" ? spec.series_label : "",
      valueFormat: spec.value_format,
      ariaLabel: typeof spec.aria_label === "string" ? spec.aria_label : "",
    };
  }

  // Long names are cut on the axis (the tooltip and the table show them whole), so that a
  // ranking's labels take at most about a third of a narrow chart.
  function shortened(label, chartWidth) {
    var maxChars = Math.max(8, Math.min(AXIS_LABEL_MAX_CHARS,
      Math.floor(chartWidth / 3 / AXIS_LABEL_CHAR_PX)));
    return label.length > maxChars ? label.slice(0, maxChars - 1).trimEnd() + "\u2026" : label;
  }

  function chartConfig(figure, spec) {
    var formats = numberFormats(spec.valueFormat);
    var colour = cssValue(figure, "--chart-colour", "#1f5f8b");
    var negativeColour = cssValue(figure, "--chart-negative-colour", "#b3541e");
    var textColour = cssValue(figure, "--chart-text-colour", "#4f5863");
    var gridColour = cssValue(figure, "--chart-grid-colour", "#c9d1da");
    var font = { family: getComputedStyle(figure).fontFamily, size: 13 };
    var pointColours = spec.values.map(function (value) {
      return value !== null && value < 0 ? negativeColour : colour;
    });
    var horizontal = spec.kind === "hbar";
    var valueAxis = horizontal ? "x" : "y";
    var categoryAxis = horizontal ? "y" : "x";
    var reducedMotion = window.matchMedia
      && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

    var dataset = {
      label: spec.seriesLabel,
      data: spec.values,
      backgroundColor: pointColours,
      borderColor: spec.kind === "line" ? colour : pointColours,
    };
    if (spec.kind === "line") {
      dataset.pointBackgroundColor = pointColours;
      dataset.pointBorderColor = pointColours;
      dataset.pointRadius = 3;
      dataset.pointHoverRadius = 6;
      dataset.borderWidth = 2;
      dataset.fill = false;
    } else {
      dataset.borderWidth = 0;
      dataset.maxBarThickness = 48;
    }

    var scales = {};
    scales[valueAxis] = {
      beginAtZero: true,
      grid: { color: gridColour },
      border: { color: textColour },
      title: {
        display: spec.seriesLabel !== "", text: spec.seriesLabel, color: textColour, font: font,
      },
      ticks: {
        color: textColour,
        font: font,
        maxRotation: 0, // fewer, level ticks rather than slanted ones
        callback: function (value) { return formats.axis.format(value); },
      },
    };
    scales[categoryAxis] = {
      grid: { display: false },
      border: { color: textColour },
      ticks: {
        color: textColour,
        font: font,
        maxRotation: 0,
        autoSkip: !horizontal, // a ranking shows every name; years and months may thin out
        callback: function (value) {
          return shortened(this.getLabelForValue(value), this.chart.width);
        },
      },
    };

    function hrefAt(elements) {
      return elements.length ? spec.hrefs[elements[0].index] : null;
    }

    return {
      type: spec.kind === "line" ? "line" : "bar",
      data: { labels: spec.labels, datasets: [dataset] },
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false, // the height comes from .chart-canvas in the stylesheet
        animation: reducedMotion ? false : { duration: 400 },
        // The whole row (hbar) or column (bar, line) answers, so that short bars are easy to hit.
        interaction: { mode: "index", axis: categoryAxis, intersect: false },
        scales: scales,
        plugins: {
          legend: { display: false }, // one series, named on the value axis
          tooltip: {
            callbacks: {
              label: function (context) {
                var value = context.parsed[valueAxis];
                var text = value === null ? "\u2013" : formats.tooltip.format(value);
                return spec.seriesLabel ? spec.seriesLabel + ": " + text : text;
              },
            },
          },
        },
        onHover: function (event, elements, chart) {
          chart.canvas.style.cursor = hrefAt(elements) ? "pointer" : "default";
        },
        onClick: function (event, elements) {
          var href = hrefAt(elements);
          if (href) {
            window.location.assign(href);
          }
        },
      },
    };
  }

  function draw(figure) {
    var canvas = figure.querySelector("canvas");
    if (!canvas || canvas.dataset[DRAWN]) {
      return;
    }
    var spec = readSpec(figure);
    if (!spec) {
      return;
    }
    canvas.setAttribute("role", "img");
    if (spec.ariaLabel) {
      canvas.setAttribute("aria-label", spec.ariaLabel);
    }
    var wrapper = canvas.closest(".chart-canvas") || canvas.parentElement;
    if (spec.kind === "hbar") {
      wrapper.style.height =
        Math.max(HBAR_MIN_PX, HBAR_ROW_PX * spec.labels.length + HBAR_AXIS_PX) + "px";
    }
    // Shown before drawing, so that Chart.js measures a visible wrapper (see dashboard.css).
    figure.classList.add("chart--drawn");
    try {
      new window.Chart(canvas, chartConfig(figure, spec));
      canvas.dataset[DRAWN] = "true";
    } catch (error) {
      figure.classList.remove("chart--drawn");
      throw error;
    }
  }

  // Charts whose canvas an htmx swap removed would otherwise stay in Chart.js's registry.
  function forgetDetachedCharts() {
    var instances = window.Chart.instances || {};
    Object.keys(instances).forEach(function (id) {
      var chart = instances[id];
      if (chart && chart.canvas && !chart.canvas.isConnected) {
        chart.destroy();
      }
    });
  }

  function drawAll() {
    if (typeof window.Chart === "undefined") {
      return;
    }
    forgetDetachedCharts();
    document.querySelectorAll("figure.chart").forEach(function (figure) {
      try {
        draw(figure);
      } catch (error) {
        // One bad chart must not stop the others; its table is still there.
        if (window.console) {
          window.console.error("Keino: could not draw a chart", error);
        }
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
  // htmx events bubble up to the document, which exists even if this script runs in <head>.
  document.addEventListener("htmx:afterSettle", drawAll);
})();
