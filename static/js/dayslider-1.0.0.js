/* Budapest 1956 day slider, v1.0.0.
 * Owns: the day controls (range input, previous/next, play, mode switch), the category legend,
 * the per-event markers and the routes on one Leaflet map, the event list, and selection.
 * The details panel (details-1.0.0.js) and the URL state (urlstate-1.0.0.js) are mixed in; the
 * DOM helpers come from dom-1.0.0.js. Data arrives once as JSON; every piece of data text is
 * inserted with textContent, never as HTML.
 * A step only touches the events whose state changes: the day index is built once here.
 * Public methods for other scripts (static/js/lessons): goToDate, openEvent, flyTo, closeDetails;
 * everything else is internal and may change.
 */
(function (global) {
  'use strict';

  const HIDDEN = 0, CURRENT = 1, PAST = 2;
  const CANVAS_FROM = 2000;
  const { el, fmt } = global.Budapest1956.dom;

  class DaySlider {
    constructor(map, options, data) {
      this.map = map;
      this.options = options;
      this.data = data;
      this.t = data.strings;
      this.days = data.days;
      this.events = data.events;
      this.categories = new Map(data.categories.map((c) => [c.id, c]));
      this.enabled = new Set(data.categories.map((c) => c.id));
      this.buildIndex();
      this.state = new Int8Array(this.events.length);
      this.markers = new Array(this.events.length);
      this.items = new Array(this.events.length);
      this.visible = new Set();
      this.routeLayers = new Map();
      this.selected = -1;
      this.day = -1;
      this.mode = null;
      this.timer = null;
      // SVG keeps markers as elements (styled, clickable, testable); past a few thousand events a
      // canvas draws the same markers for a fraction of the cost per step.
      const canvas = options.renderer === 'canvas' || (options.renderer === 'auto' && this.events.length > CANVAS_FROM);
      this.renderer = canvas ? L.canvas({ padding: 0.2 }) : L.svg({ padding: 0.2 });
      this.markerGroup = L.featureGroup().addTo(map);
      this.markerGroup.on('click', (e) => this.select(e.layer.eventIndex, { from: 'marker' }));
      this.markerGroup.bindTooltip((layer) => el('span', null, this.events[layer.eventIndex].title),
        { direction: 'top', offset: [0, -6] });
      this.list = document.getElementById(options.listId);
      this.list.addEventListener('click', (e) => {
        const item = e.target.closest('li.event-item');
        if (item && item.eventIndex !== undefined) this.select(item.eventIndex, { from: 'list' });
      });
      this.itemTemplate = el('li', { class: 'event-item' });
      const button = el('button', { type: 'button', class: 'event-button' });
      button.append(el('span', { class: 'swatch', 'aria-hidden': 'true' }), el('span', { class: 'event-when' }),
        el('span', { class: 'event-title' }), el('span', { class: 'event-place' }));
      this.itemTemplate.append(button);
      this.details = document.getElementById(options.detailsId);
      this.status = document.getElementById(options.statusId);
      this.buildControls(document.getElementById(options.controlsId));
      if (options.legendId) this.buildLegend(document.getElementById(options.legendId));
      const start = this.readUrl();
      this.applyView(start);
      this.show(start.day, start.mode, { follow: !start.center && !start.zoom });
    }

    /* ---- index: built once, so that a step costs what changes, not what exists ---- */
    buildIndex() {
      const n = this.days.length;
      this.startsOn = Array.from({ length: n }, () => []);
      this.endsOn = Array.from({ length: n }, () => []);
      this.activeOn = Array.from({ length: n }, () => []);
      this.events.forEach((ev, i) => {
        this.startsOn[ev.start].push(i);
        this.endsOn[ev.end].push(i);
        for (let d = ev.start; d <= ev.end; d++) this.activeOn[d].push(i);
      });
    }

    stateOf(i, day, mode) {
      const ev = this.events[i];
      if (!this.enabled.has(ev.category) || ev.start > day) return HIDDEN;
      if (day <= ev.end) return CURRENT;
      return mode === 'cumulative' ? PAST : HIDDEN;
    }

    /* ---- the one entry point for changing what is shown ---- */
    show(day, mode, opts) {
      opts = opts || {};
      day = Math.max(0, Math.min(this.days.length - 1, day));
      const prevDay = this.day, prevMode = this.mode;
      if (day === prevDay && mode === prevMode && !opts.force) return;
      this.day = day;
      this.mode = mode;
      let candidates;
      if (!opts.force && prevMode === mode && mode === 'day') {
        candidates = [...this.visible, ...this.activeOn[day]];
      } else if (!opts.force && prevMode === mode && mode === 'cumulative') {
        const lo = Math.min(prevDay, day), hi = Math.max(prevDay, day);
        candidates = [];
        for (let d = lo + 1; d <= hi; d++) for (const i of this.startsOn[d]) candidates.push(i);
        for (let d = lo; d < hi; d++) for (const i of this.endsOn[d]) candidates.push(i);
      } else {
        candidates = this.events.map((_, i) => i);
      }
      const added = [];
      for (const i of candidates) {
        const next = this.stateOf(i, day, mode);
        if (next === this.state[i]) continue;
        if (this.state[i] === HIDDEN) added.push(i);
        this.apply(i, next);
      }
      this.insertItems(added);
      this.showRoutes(day, mode);
      if (opts.follow) this.followDay();
      this.updateControls();
      this.writeUrl();
      if (this.selected >= 0 && this.state[this.selected] === HIDDEN) this.closeDetails();
    }

    /** Put newly shown items into the list in event order, touching only those items. */
    insertItems(added) {
      if (!added.length) return;
      added.sort((a, b) => a - b);
      const list = this.list;
      const last = list.lastElementChild;
      if (!last || last.eventIndex < added[0]) {
        const fragment = document.createDocumentFragment();
        for (const i of added) fragment.appendChild(this.items[i]);
        list.appendChild(fragment);
        return;
      }
      let node = list.firstElementChild;
      for (const i of added) {
        while (node && node.eventIndex < i) node = node.nextElementSibling;
        list.insertBefore(this.items[i], node);
      }
    }

    apply(i, next) {
      const ev = this.events[i];
      const marker = this.markerFor(i);
      const item = this.itemFor(i);
      const previous = this.state[i];
      if (next === HIDDEN) {
        if (marker) this.markerGroup.removeLayer(marker);
        item.remove();
        this.visible.delete(i);
      } else {
        if (marker) {
          // a marker is made in the current style, so only a change of look needs setStyle
          if (marker.styledAs !== next || i === this.selected) {
            marker.setStyle(this.markerStyle(ev, next, i === this.selected));
            marker.styledAs = next;
          }
          if (previous === HIDDEN) this.markerGroup.addLayer(marker);
        }
        if (next === PAST || previous === PAST) item.classList.toggle('is-past', next === PAST);
        this.visible.add(i);
      }
      this.state[i] = next;
    }

    markerStyle(ev, state, selected) {
      const color = this.categories.get(ev.category).color;
      const past = state === PAST;
      return {
        radius: selected ? 11 : past ? 5 : 8,
        color: selected ? '#111' : '#fff',
        weight: selected ? 3 : past ? 1 : 2,
        fillColor: color,
        fillOpacity: past ? 0.35 : 0.95,
        opacity: past ? 0.5 : 1,
      };
    }

    markerFor(i) {
      const ev = this.events[i];
      if (this.markers[i] !== undefined) return this.markers[i];
      const site = ev.site ? this.data.sites[ev.site] : null;
      if (!site) {
        this.markers[i] = null;
        return null;
      }
      const marker = L.circleMarker([site.lat, site.lon], Object.assign(
        { renderer: this.renderer, className: 'event-marker', bubblingMouseEvents: false },
        this.markerStyle(ev, CURRENT, false)));
      marker.eventIndex = i;
      marker.styledAs = CURRENT;
      this.markers[i] = marker;
      return marker;
    }

    /** The list item of event i, made once from a cloned template (cheaper than building it). */
    itemFor(i) {
      if (this.items[i]) return this.items[i];
      const ev = this.events[i];
      const li = this.itemTemplate.cloneNode(true);
      li.dataset.eventId = ev.id;
      li.dataset.category = ev.category;
      const [dot, when, title, place] = li.firstChild.children;
      dot.style.backgroundColor = this.categories.get(ev.category).color;
      when.textContent = ev.time ? `${ev.dateRange}, ${ev.time}` : ev.dateRange;
      title.textContent = ev.title;
      place.textContent = this.placeName(ev);
      li.eventIndex = i;
      this.items[i] = li;
      return li;
    }

    placeName(ev) {
      if (ev.site && this.data.sites[ev.site]) return this.data.sites[ev.site].name;
      const route = ev.route ? this.data.routes.find((r) => r.id === ev.route) : null;
      return route ? route.name : '';
    }

    /** Bounds of what the shown day adds: its markers and current routes. */
    dayBounds() {
      const bounds = L.latLngBounds([]);
      for (const i of this.activeOn[this.day]) {
        if (this.state[i] === CURRENT && this.markers[i]) bounds.extend(this.markers[i].getLatLng());
      }
      for (const route of this.data.routes) {
        const layer = this.routeLayers.get(route.id);
        if (layer && this.map.hasLayer(layer) && route.start <= this.day && this.day <= route.end) bounds.extend(layer.getBounds());
      }
      return bounds;
    }

    fitDay() {
      const bounds = this.dayBounds();
      if (bounds.isValid()) this.map.fitBounds(bounds, { padding: [30, 30], maxZoom: 15, animate: !this.reducedMotion() });
    }

    /** After a step: when none of the day's places is in view, bring them into view. */
    followDay() {
      const view = this.map.getBounds();
      const bounds = this.dayBounds();
      if (!bounds.isValid()) return;
      for (const i of this.activeOn[this.day]) {
        if (this.state[i] === CURRENT && this.markers[i] && view.contains(this.markers[i].getLatLng())) return;
      }
      this.fitDay();
    }

    /* ---- routes: a handful, shown on their dates ---- */
    showRoutes(day, mode) {
      for (const route of this.data.routes) {
        let state = route.start > day ? HIDDEN : day <= route.end ? CURRENT : mode === 'cumulative' ? PAST : HIDDEN;
        if (!this.enabled.has(route.category)) state = HIDDEN;
        let layer = this.routeLayers.get(route.id);
        if (state === HIDDEN) {
          if (layer) layer.remove();
          continue;
        }
        if (!layer) {
          layer = L.polyline(route.latlngs, { renderer: this.renderer, className: 'route-line' });
          layer.bindTooltip(el('span', null, fmt(this.t.routeTooltip, { name: route.name, km: route.lengthKm })), { sticky: true });
          this.routeLayers.set(route.id, layer);
        }
        layer.setStyle({
          color: this.categories.get(route.category).color,
          weight: state === PAST ? 3 : 5,
          opacity: state === PAST ? 0.4 : 0.85,
          dashArray: route.category === 'soviet' ? '8 6' : null,
        });
        if (!this.map.hasLayer(layer)) layer.addTo(this.map);
      }
    }

    /* ---- selection and details ---- */
    select(i, opts) {
      const previous = this.selected;
      this.selected = i;
      if (previous >= 0 && previous !== i) {
        this.items[previous] && this.items[previous].classList.remove('is-selected');
        this.items[previous] && this.items[previous].querySelector('button').removeAttribute('aria-current');
        if (this.markers[previous]) this.markers[previous].setStyle(this.markerStyle(this.events[previous], this.state[previous], false));
      }
      const item = this.itemFor(i);
      item.classList.add('is-selected');
      item.querySelector('button').setAttribute('aria-current', 'true');
      const marker = this.markerFor(i);
      if (marker) {
        marker.setStyle(this.markerStyle(this.events[i], this.state[i], true));
        marker.bringToFront();
        if (opts.from === 'list' && !this.map.getBounds().contains(marker.getLatLng())) {
          this.map.setView(marker.getLatLng(), Math.max(this.map.getZoom(), 8), { animate: !this.reducedMotion() });
        }
      } else if (this.events[i].route && this.routeLayers.has(this.events[i].route) && opts.from === 'list') {
        this.map.fitBounds(this.routeLayers.get(this.events[i].route).getBounds(), { padding: [20, 20], animate: !this.reducedMotion() });
      }
      if (opts.from === 'marker') item.scrollIntoView({ block: 'nearest' });
      this.renderDetails(this.events[i]);
      this.details.scrollIntoView({ block: 'nearest' });
      if (opts.from === 'list') this.details.focus({ preventScroll: true });
    }

    closeDetails() {
      const i = this.selected;
      this.selected = -1;
      if (i >= 0) {
        this.items[i] && this.items[i].classList.remove('is-selected');
        this.items[i] && this.items[i].querySelector('button').removeAttribute('aria-current');
        if (this.markers[i] && this.state[i] !== HIDDEN) this.markers[i].setStyle(this.markerStyle(this.events[i], this.state[i], false));
      }
      this.details.hidden = true;
      this.details.replaceChildren();
    }

    /* ---- controls ---- */
    buildControls(root) {
      const t = this.t;
      const id = (name) => `${this.options.controlsId}-${name}`;
      this.dateLabel = el('p', { class: 'ds-date', id: id('date'), 'aria-hidden': 'true' });
      const label = el('label', { for: id('range'), class: 'ds-label' }, t.dayLabel);
      this.range = el('input', {
        type: 'range', id: id('range'), class: 'ds-range', min: 0, max: this.days.length - 1, step: 1, value: 0,
      });
      this.range.addEventListener('input', () => this.show(Number(this.range.value), this.mode, { follow: true }));
      const prev = el('button', { type: 'button', class: 'ds-step ds-prev', 'aria-label': t.previousDay }, '‹');
      const next = el('button', { type: 'button', class: 'ds-step ds-next', 'aria-label': t.nextDay }, '›');
      prev.addEventListener('click', () => this.show(this.day - 1, this.mode, { follow: true }));
      next.addEventListener('click', () => this.show(this.day + 1, this.mode, { follow: true }));
      const fit = el('button', { type: 'button', class: 'ds-fit' }, t.fitDay);
      fit.addEventListener('click', () => this.fitDay());
      this.playButton = el('button', { type: 'button', class: 'ds-play', 'aria-pressed': 'false' }, t.play);
      this.playButton.addEventListener('click', () => (this.timer ? this.pause() : this.play()));
      const row = el('div', { class: 'ds-row' });
      row.append(prev, this.range, next, this.playButton);
      const tools = el('div', { class: 'ds-tools' });
      tools.append(fit);
      const modes = el('fieldset', { class: 'ds-modes' });
      modes.append(el('legend', null, t.modeLegend));
      this.modeInputs = {};
      for (const [value, text] of [['day', t.modeDay], ['cumulative', t.modeCumulative]]) {
        const input = el('input', { type: 'radio', name: id('mode'), value, id: id(`mode-${value}`) });
        input.addEventListener('change', () => input.checked && this.show(this.day, value));
        const lab = el('label', { for: id(`mode-${value}`) });
        lab.append(input, document.createTextNode(' ' + text));
        modes.append(lab);
        this.modeInputs[value] = input;
      }
      root.replaceChildren(label, this.dateLabel, row, modes, tools);
    }

    buildLegend(root) {
      const t = this.t;
      const box = el('fieldset', { class: 'ds-legend' });
      box.append(el('legend', null, t.legend));
      for (const cat of this.data.categories) {
        const input = el('input', { type: 'checkbox', checked: true, value: cat.id, id: `legend-${cat.id}` });
        input.addEventListener('change', () => {
          if (input.checked) this.enabled.add(cat.id); else this.enabled.delete(cat.id);
          this.show(this.day, this.mode, { force: true });
        });
        const swatch = el('span', { class: 'swatch', 'aria-hidden': 'true' });
        swatch.style.backgroundColor = cat.color;
        const lab = el('label', { for: `legend-${cat.id}`, class: 'legend-item' });
        lab.append(input, swatch, el('span', { class: 'legend-name' }, cat.label), el('span', { class: 'legend-help' }, cat.help));
        box.append(lab);
      }
      root.replaceChildren(box);
    }

    updateControls() {
      const label = this.data.dayLabels[this.day];
      this.range.value = String(this.day);
      this.range.setAttribute('aria-valuetext', label);
      this.dateLabel.textContent = label;
      this.modeInputs[this.mode].checked = true;
    }

    reducedMotion() {
      return global.matchMedia && global.matchMedia('(prefers-reduced-motion: reduce)').matches;
    }

    play() {
      if (this.day >= this.days.length - 1) this.show(0, this.mode);
      this.playButton.setAttribute('aria-pressed', 'true');
      this.playButton.textContent = this.t.pause;
      const interval = this.reducedMotion() ? this.options.playIntervalMs * 2 : this.options.playIntervalMs;
      this.timer = setInterval(() => {
        if (this.day >= this.days.length - 1) this.pause();
        else this.show(this.day + 1, this.mode, { follow: true });
      }, interval);
    }

    pause() {
      clearInterval(this.timer);
      this.timer = null;
      this.playButton.setAttribute('aria-pressed', 'false');
      this.playButton.textContent = this.t.play;
    }

    /* ---- public: what other scripts may call (lessons-1.0.0.js steps through a lesson with these) ---- */

    /** Show the day `iso` (YYYY-MM-DD) in the current mode; false when the map has no such day. */
    goToDate(iso) {
      const day = this.days.indexOf(iso);
      if (day < 0) return false;
      this.show(day, this.mode);
      return true;
    }

    /** Open the details of event `id`, as choosing it in the list does, but leave the focus and the
     *  page's scrolling where they are; false when the map has no such event. */
    openEvent(id) {
      const i = this.events.findIndex((ev) => ev.id === id);
      if (i < 0) return false;
      const pane = this.details.closest('.side-pane');
      const paneTop = pane ? pane.scrollTop : 0;
      const x = global.scrollX, y = global.scrollY;
      this.select(i, { from: 'script' });
      if (pane) pane.scrollTop = paneTop;
      global.scrollTo(x, y);
      return true;
    }

    /** Move the map to `view`, {center: [lat, lon], zoom} or {bounds: [[south, west], [north, east]]};
     *  animated unless the reader prefers reduced motion. */
    flyTo(view) {
      const animate = !this.reducedMotion();
      if (view.bounds) this.map.flyToBounds(view.bounds, { padding: [30, 30], maxZoom: 15, animate, duration: 1 });
      else this.map.flyTo(view.center, view.zoom || this.map.getZoom(), { animate, duration: 1 });
    }

  }

  Object.assign(DaySlider.prototype, global.Budapest1956.detailsPanel, global.Budapest1956.urlState);

  global.Budapest1956 = Object.assign(global.Budapest1956, {
    DaySlider,
    daySlider(map, options, data) {
      this.current = new DaySlider(map, options, data);
      return this.current;
    },
  });
})(window);
