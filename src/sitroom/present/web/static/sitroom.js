/* sitroom web app script: layer toggles on the article view, and the events maps (Leaflet).
 * Loaded as a file (the CSP forbids inline script). Article text never goes through innerHTML:
 * popups are built from DOM nodes with textContent. */
(function () {
  "use strict";

  function toggles() {
    var text = document.getElementById("article-text");
    if (!text) return;
    document.querySelectorAll("input[data-toggle]").forEach(function (box) {
      box.addEventListener("change", function () {
        text.classList.toggle("hide-" + box.getAttribute("data-toggle"), !box.checked);
      });
    });
  }

  function popup(p) {
    var box = document.createElement("div");
    box.className = "map-popup";
    var name = document.createElement("b");
    name.textContent = p.name;
    box.appendChild(name);
    var what = document.createElement("div");
    what.textContent = p.count + " event" + (p.count === 1 ? "" : "s") + ": " + (p.types || []).join(", ");
    box.appendChild(what);
    if (p.href && p.href.charAt(0) === "/") {
      var a = document.createElement("a");
      a.href = p.href;
      a.textContent = "read the report";
      box.appendChild(a);
    }
    return box;
  }

  function readPoints(el) {
    try {
      return JSON.parse(el.getAttribute("data-points-json") || "[]");
    } catch (e) {
      return [];
    }
  }

  function maps() {
    if (typeof L === "undefined") return;
    document.querySelectorAll(".leaflet-map").forEach(function (el) {
      var points = readPoints(el);
      var map = L.map(el, { worldCopyJump: true, attributionControl: true });
      var tiles = el.getAttribute("data-tiles");
      if (tiles) {
        L.tileLayer(tiles, { maxZoom: 18, attribution: el.getAttribute("data-attribution") || "" }).addTo(map);
      } else {
        fetch("/api/world.geojson", { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (world) {
            if (!world) return;
            var layer = L.geoJSON(world, {
              style: { color: "#a9a39a", weight: 0.8, fillColor: "#f4f1ea", fillOpacity: 1 },
              interactive: false
            }).addTo(map);
            layer.bringToBack();
          });
        map.attributionControl.addAttribution("Outline: Natural Earth");
      }
      var biggest = points.reduce(function (m, p) { return Math.max(m, p.count); }, 1);
      var bounds = [];
      points.forEach(function (p) {
        if (typeof p.lat !== "number" || typeof p.lon !== "number") return;
        var r = 5 + 12 * Math.sqrt(p.count / biggest);
        L.circleMarker([p.lat, p.lon], { radius: r, color: "#fff", weight: 1, fillColor: "#d62728", fillOpacity: 0.75 })
          .bindPopup(popup(p)).addTo(map);
        bounds.push([p.lat, p.lon]);
      });
      if (bounds.length > 1) {
        map.fitBounds(bounds, { padding: [40, 40], maxZoom: 7 });
      } else if (bounds.length === 1) {
        map.setView(bounds[0], 6);
      } else {
        map.setView([20, 0], 2);
      }
      el.setAttribute("data-ready", String(bounds.length));
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    toggles();
    maps();
  });
})();
