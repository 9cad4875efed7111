/* Budapest 1956 print view.
 * Owns: the small map of the print page (#print-map), drawn from the JSON in #print-data (numbered
 * places of the day, faded earlier places, routes), and the Print button. Numbers go in with
 * textContent; nothing from the data is inserted as HTML. When the map is ready to print (tiles
 * loaded or failed, or no tiles), <html> gets data-map-ready="true".
 */
(function () {
  'use strict';

  const data = JSON.parse(document.getElementById('print-data').textContent);
  const box = document.getElementById('print-map');
  const map = L.map(box, {
    zoomControl: false, dragging: false, touchZoom: false, scrollWheelZoom: false, doubleClickZoom: false,
    boxZoom: false, keyboard: false, zoomSnap: 0.25, fadeAnimation: false, zoomAnimation: false,
  });
  L.control.scale({ imperial: false }).addTo(map);
  const bounds = L.latLngBounds([]);

  /** "1–3, 5" for [1, 2, 3, 5]. */
  function ranges(numbers) {
    const sorted = [...new Set(numbers)].sort((a, b) => a - b);
    const parts = [];
    for (let i = 0; i < sorted.length; i++) {
      let j = i;
      while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
      parts.push(j > i + 1 ? `${sorted[i]}–${sorted[j]}` : j === i + 1 ? `${sorted[i]}, ${sorted[j]}` : `${sorted[i]}`);
      i = j;
    }
    return parts.join(', ');
  }

  function numberIcon(text, color) {
    const span = document.createElement('span');
    span.className = 'print-marker-label';
    span.textContent = text;
    span.style.borderColor = color;
    return L.divIcon({ html: span, className: 'print-marker', iconSize: [Math.max(24, 12 + 7 * text.length), 24] });
  }

  for (const place of data.faded) {
    L.circleMarker([place.lat, place.lon], {
      radius: 5, color: '#555', weight: 1, fillColor: '#888', fillOpacity: 0.45, interactive: false,
    }).addTo(map);
  }
  for (const route of data.routes) {
    const line = L.polyline(route.latlngs, {
      color: route.color, weight: route.past ? 3 : 5, opacity: route.past ? 0.45 : 0.9,
      dashArray: route.dashed ? '8 6' : null, interactive: false,
    }).addTo(map);
    if (!route.past) bounds.extend(line.getBounds());
  }
  for (const place of data.places) bounds.extend([place.lat, place.lon]);

  /** Numbered labels, redrawn for the zoom: places closer than a label share one ("2–4, 7"). */
  const labels = L.layerGroup().addTo(map);
  function drawLabels() {
    labels.clearLayers();
    const groups = [];
    for (const place of data.places) {
      const point = map.latLngToLayerPoint([place.lat, place.lon]);
      const near = groups.find((g) => g.point.distanceTo(point) < 26);
      if (near) {
        near.numbers.push(...place.labels);
        if (near.color !== place.color) near.color = '#000';
      } else {
        groups.push({ point, latlng: [place.lat, place.lon], numbers: [...place.labels], color: place.color });
      }
    }
    for (const route of data.routes) {
      if (route.labels.length) {
        const middle = route.latlngs[Math.floor(route.latlngs.length / 2)];
        groups.push({ latlng: middle, numbers: route.labels, color: route.color });
      }
    }
    for (const g of groups) {
      L.marker(g.latlng, { icon: numberIcon(ranges(g.numbers), g.color), interactive: false, keyboard: false })
        .addTo(labels);
    }
  }

  function fit() {
    map.invalidateSize({ animate: false });
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [44, 24], maxZoom: 15, animate: false });
    else map.setView(data.center, data.zoom, { animate: false });
    drawLabels();
  }
  fit();

  const ready = () => { document.documentElement.dataset.mapReady = 'true'; };
  if (data.tiles) {
    const tiles = L.tileLayer(data.tiles.url, {
      attribution: data.tiles.attribution, maxZoom: data.tiles.maxZoom,
      referrerPolicy: 'strict-origin-when-cross-origin',
    });
    tiles.once('load', ready);
    tiles.addTo(map);
  } else {
    ready();
  }
  /* the printed sheet may be wider than the screen (a phone): fit again for the paper */
  window.addEventListener('beforeprint', fit);
  window.addEventListener('afterprint', fit);

  const button = document.getElementById('print-button');
  button.addEventListener('click', () => window.print());
  button.hidden = false;
})();
