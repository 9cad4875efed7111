/* Budapest 1956 walking tour.
 * Owns the map of /walk (#print-map): the stops numbered in walking order and joined by straight
 * legs, drawn from the JSON in #print-data (the format the print map uses). Unlike the printed
 * map it can be dragged and zoomed, for a class on the way. Numbers go in with textContent; when
 * the map is drawn (tiles loaded or failed, or none) <html> gets data-map-ready="true".
 */
(function () {
  'use strict';

  const data = JSON.parse(document.getElementById('print-data').textContent);
  const map = L.map('print-map', { zoomSnap: 0.25, scrollWheelZoom: false });
  L.control.scale({ imperial: false }).addTo(map);

  function numberIcon(text, color) {
    const span = document.createElement('span');
    span.className = 'print-marker-label';
    span.textContent = text;
    span.style.borderColor = color;
    return L.divIcon({ html: span, className: 'print-marker', iconSize: [Math.max(24, 12 + 7 * text.length), 24] });
  }

  const bounds = L.latLngBounds([]);
  for (const route of data.routes) {
    L.polyline(route.latlngs, { color: route.color, weight: 4, opacity: 0.8, interactive: false }).addTo(map);
  }
  for (const place of data.places) {
    const label = place.labels.join(', ');
    L.marker([place.lat, place.lon], { icon: numberIcon(label, place.color), keyboard: false, interactive: false })
      .addTo(map);
    bounds.extend([place.lat, place.lon]);
  }
  if (bounds.isValid()) map.fitBounds(bounds, { padding: [28, 28], maxZoom: 16, animate: false });
  else map.setView(data.center, data.zoom, { animate: false });

  const ready = () => { document.documentElement.dataset.mapReady = 'true'; };
  if (data.tiles) {
    const tiles = L.tileLayer(data.tiles.url, {
      attribution: data.tiles.attribution, maxZoom: data.tiles.maxZoom,
      referrerPolicy: 'strict-origin-when-cross-origin',
    });
    tiles.once('load', ready);
    tiles.once('tileerror', ready);
    tiles.addTo(map);
  } else {
    ready();
  }
})();
