/* Budapest 1956 day slider.
 * Owns what is shown on each day and how a step changes it: the per-event markers and the routes
 * on one Leaflet map, and selection. The event list (eventlist.js), the controls and
 * legend (controls.js), the details panel (details.js) and the URL state
 * (urlstate.js) are mixed in; the DOM helpers come from dom.js. Data arrives once
 * as JSON; data text is inserted as text, never as HTML.
 *
 * Public methods for other scripts (static/js/lessons steps through a lesson with them), on the
 * object Budapest1956.daySlider returns (also Budapest1956.current):
 *   goToDate(iso)    show that day (YYYY-MM-DD) in the current mode; false when there is none
 *   openEvent(id)    open an event's details as its list item does, focus and scrolling kept
 *   flyTo(view)      {center: [lat, lon], zoom} or {bounds}; a jump under reduced motion
 *   closeDetails()
 * (goToDate, openEvent and flyTo live in controls.js, closeDetails in details.js.)
 * Everything else is internal and may change.
 *
 * A step costs what changes, not what exists. The per-day index gives the events that start and
 * end on each day, and a step looks only at those. Each event with a place has one marker, made
 * once and added to the map once (the marker group is only their event parent, for one click
 * handler and one tooltip); a step hides and shows markers (EventMarker: a hidden one is not
 * drawn, not hit and not projected; on SVG its path leaves the DOM) and gives them a look, one
 * shared object per category and state, only when theirs changes. On a canvas the step's changes
 * are drawn by one whole redraw in the next frame (StepCanvas). Each list item is made once and
 * then only moved. Items and markers are made in idle time after the first draw; whatever a step
 * needs first is made on the spot. Nothing in a step reads layout. (Where a step's time goes:
 * bench/README.md.)
 */
(function (global) {
  'use strict';

  const HIDDEN = 0, CURRENT = 1, PAST = 2;
  const CANVAS_FROM = 2000;
  const { el, fmt } = global.Budapest1956.dom;
  /** One event's marker, on the map for good; while hidden: not drawn, not hit, not projected on
   *  a zoom (caught up when shown). No getAttribution: no attribution listener per marker. */
  const EventMarker = L.CircleMarker.extend({
    getAttribution: null,
    _project() {
      this._stale = this._hidden;
      if (!this._hidden) L.CircleMarker.prototype._project.call(this);
    },
    _update() {
      if (!this._hidden) L.CircleMarker.prototype._update.call(this);
    },
    _updatePath() {
      if (!this._hidden) L.CircleMarker.prototype._updatePath.call(this);
    },
    _containsPoint(p) {
      return !this._hidden && L.CircleMarker.prototype._containsPoint.call(this, p);
    },
  });

  /** A canvas a step redraws once, whole: its changes cover the map anyway, and Leaflet's
   *  bookkeeping of each changed marker's bounds cost more than the drawing it saved. */
  const StepCanvas = L.Canvas.extend({
    redrawAll() {
      this._full = true;
      this._redrawBounds = null;
      if (this._map && !this._redrawRequest) this._redrawRequest = L.Util.requestAnimFrame(this._redraw, this);
    },
    _extendRedrawBounds(layer) {
      if (!this._full) L.Canvas.prototype._extendRedrawBounds.call(this, layer);
    },
    _addPath(layer) {
      if (!layer._hidden) L.Canvas.prototype._addPath.call(this, layer);
    },
    _redraw() {
      this._full = false;
      L.Canvas.prototype._redraw.call(this);
    },
  });

  /** SVG: a hidden marker's path is out of the DOM (kept up to date); showing it is one append. */
  const StepSVG = L.SVG.extend({
    _addPath(layer) {
      if (!this._rootGroup) this._initContainer();
      if (!layer._hidden) this._rootGroup.appendChild(layer._path);
      layer.addInteractiveTarget(layer._path);
    },
  });

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
      this.state = new Uint8Array(this.events.length);
      this.markerOf = new Array(this.events.length).fill(null);   // event i's marker, once made
      this.changed = { shown: [], hidden: [], restyled: [] };
      this.routeLayers = new Map();
      this.selected = -1;
      this.day = -1;
      this.mode = null;
      this.timer = null;
      // SVG keeps markers as elements (styled, clickable, testable); past a few thousand events a
      // canvas draws the same markers for a fraction of the cost per step.
      const canvas = options.renderer === 'canvas' || (options.renderer === 'auto' && this.events.length > CANVAS_FROM);
      this.renderer = canvas ? new StepCanvas({ padding: 0.2 }) : new StepSVG({ padding: 0.2 });
      this.buildStyles();
      this.markerGroup = L.featureGroup().addTo(map);
      this.markerGroup.on('click', (e) => this.select(e.layer.eventIndex, { from: 'marker' }));
      this.markerGroup.bindTooltip((layer) => el('span', null, this.events[layer.eventIndex].title),
        { direction: 'top', offset: [0, -6] });
      this.initList(document.getElementById(options.listId));
      this.details = document.getElementById(options.detailsId);
      this.status = document.getElementById(options.statusId);
      this.buildControls(document.getElementById(options.controlsId));
      if (options.legendId) this.buildLegend(document.getElementById(options.legendId));
      const start = this.readUrl();
      this.applyView(start);
      this.show(start.day, start.mode, { follow: !start.center && !start.zoom });
      this.prebuild();
    }

    /** After the first day is drawn, make the list items and the (hidden) markers in idle time, a
     *  few ms at a time, so that a step only moves and shows them (a step that comes first makes
     *  what it needs). */
    prebuild() {
      const n = this.events.length, idle = global.requestIdleCallback
        || ((fn) => setTimeout(() => fn({ timeRemaining: () => 8, didTimeout: false }), 16));
      let next = 0, busy = 0;
      const work = (deadline) => {
        const t0 = performance.now();
        while (next < n) {
          const stop = Math.min(n, next + 64);
          for (; next < stop; next++) {
            this.itemFor(next);
            if (this.latlngOf[next] && !this.markerOf[next]) this.makeMarker(next);
          }
          if (deadline.timeRemaining() < 2) break;
        }
        busy += performance.now() - t0;
        if (next < n) idle(work);
        else this.prebuilt = { at: performance.now(), busy };
      };
      idle(work);
    }

    /* ---- index: built once, so that a step costs what changes, not what exists ---- */
    buildIndex() {
      const n = this.days.length;
      this.startsOn = Array.from({ length: n }, () => []);
      this.endsOn = Array.from({ length: n }, () => []);
      this.activeOn = Array.from({ length: n }, () => []);
      const catIndex = new Map(this.data.categories.map((c, k) => [c.id, k]));
      this.startOf = new Int32Array(this.events.length);
      this.endOf = new Int32Array(this.events.length);
      this.catOf = new Uint8Array(this.events.length);
      this.catOn = new Uint8Array(catIndex.size);
      const places = new Map(Object.entries(this.data.sites).map(([id, site]) => [id, L.latLng(site.lat, site.lon)]));
      this.latlngOf = this.events.map((ev) => (ev.site && places.get(ev.site)) || null);
      this.events.forEach((ev, i) => {
        this.startOf[i] = ev.start;
        this.endOf[i] = ev.end;
        this.catOf[i] = catIndex.get(ev.category);
        this.startsOn[ev.start].push(i);
        this.endsOn[ev.end].push(i);
        for (let d = ev.start; d <= ev.end; d++) this.activeOn[d].push(i);
      });
    }

    /** The looks of a marker, per category: [, current, past, selected current, selected past],
     *  each a complete options object made once. On a canvas a marker takes a look by reference
     *  (its options become the shared object; the next redraw draws it). An SVG marker copies a
     *  look's attributes with setStyle, and its past look is the current one plus the class
     *  is-past on its path (app.css draws the canvas's past look): one class change, not a
     *  restyle of every attribute. */
    buildStyles() {
      this.looks = new Map();
      this.sharedLooks = this.renderer instanceof L.Canvas;
      for (const cat of this.data.categories) {
        const ev = { category: cat.id };
        const look = (state, selected) => {
          const svgPast = !this.sharedLooks && state === PAST && !selected;
          return Object.assign(Object.create(EventMarker.prototype.options),
            { renderer: this.renderer, bubblingMouseEvents: false, category: cat.id,
              className: svgPast ? 'event-marker is-past' : 'event-marker' },
            this.markerStyle(ev, svgPast ? CURRENT : state, selected));
        };
        const current = look(CURRENT, false), past = look(PAST, false);
        if (!this.sharedLooks) past.attributes = current;   // the same attributes, another class
        this.looks.set(cat.id, [null, current, past, look(CURRENT, true), look(PAST, true)]);
      }
    }

    /** The look event i should have now. */
    lookFor(i) {
      return this.looks.get(this.events[i].category)[this.state[i] + (i === this.selected ? 2 : 0)];
    }

    /** What event i looks like on `day` in `mode`; this.catOn must hold the enabled categories. */
    stateOf(i, day, mode) {
      if (!this.catOn[this.catOf[i]] || this.startOf[i] > day) return HIDDEN;
      if (day <= this.endOf[i]) return CURRENT;
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
      const { shown, hidden, restyled } = this.changed;
      shown.length = hidden.length = restyled.length = 0;
      const cats = this.data.categories;
      for (let k = 0; k < cats.length; k++) this.catOn[k] = this.enabled.has(cats[k].id) ? 1 : 0;
      if (opts.force || prevMode !== mode) {
        this.collect(null, day, mode);
      } else if (mode === 'day') {
        // what was shown is within activeOn[prevDay]; a step of one day looks only at the edges
        if (day === prevDay + 1) this.collect([this.endsOn[prevDay], this.startsOn[day]], day, mode);
        else if (day === prevDay - 1) this.collect([this.startsOn[prevDay], this.endsOn[day]], day, mode);
        else this.collect([this.activeOn[prevDay], this.activeOn[day]], day, mode);
      } else {
        const lo = Math.min(prevDay, day), hi = Math.max(prevDay, day), lists = [];
        for (let d = lo + 1; d <= hi; d++) lists.push(this.startsOn[d]);
        for (let d = lo; d < hi; d++) lists.push(this.endsOn[d]);
        this.collect(lists, day, mode);
      }
      this.applyChanges();
      this.showRoutes(day, mode);
      if (opts.follow) this.followDay();
      this.updateControls();
      this.writeUrl();
      if (this.selected >= 0 && this.state[this.selected] === HIDDEN) this.closeDetails();
    }

    /** Sort the events of `lists` (all events when null) whose state changes into this.changed. */
    collect(lists, day, mode) {
      const state = this.state, { shown, hidden, restyled } = this.changed;
      if (lists === null) lists = [this.events.map((_, i) => i)];
      for (const list of lists) {
        for (let k = 0; k < list.length; k++) {
          const i = list[k], next = this.stateOf(i, day, mode), previous = state[i];
          if (next === previous) continue;
          if (previous === HIDDEN) shown.push(i);
          else if (next === HIDDEN) hidden.push(i);
          else restyled.push(i);
          state[i] = next;
        }
      }
      if (shown.length > 1) shown.sort((a, b) => a - b);
    }

    /** Apply this.changed: markers first, then the list, each in one pass, with no layout read.
     *  Markers are hidden, shown and restyled, never added or removed (but for one made on the
     *  spot); on a canvas one whole redraw in the next frame draws the step (StepCanvas). */
    applyChanges() {
      const { shown, hidden, restyled } = this.changed;
      const markerOf = this.markerOf, state = this.state;
      if (this.sharedLooks) this.renderer.redrawAll();
      for (let k = 0; k < hidden.length; k++) {
        const marker = markerOf[hidden[k]];
        if (marker) this.hideMarker(marker);
      }
      for (let k = 0; k < restyled.length; k++) {
        const marker = markerOf[restyled[k]];
        if (marker) this.styleMarker(marker, restyled[k]);
      }
      for (let k = 0; k < shown.length; k++) {
        const i = shown[k];
        if (!this.latlngOf[i]) continue;
        const marker = markerOf[i] || this.makeMarker(i);
        this.styleMarker(marker, i);
        this.showMarker(marker, i);
      }
      if (this.markerGroup.isTooltipOpen() && this.markerGroup.getTooltip()._source._hidden) this.markerGroup.closeTooltip();
      this.removeItems(hidden);
      const itemPast = this.itemPast;
      for (let k = 0; k < restyled.length; k++) {
        const i = restyled[k];
        if (itemPast[i] !== (state[i] === PAST ? 1 : 0)) this.setItemPast(i, state[i] === PAST ? 1 : 0);
      }
      for (let k = 0; k < shown.length; k++) {
        const i = shown[k];
        this.itemFor(i);
        if (itemPast[i] !== (state[i] === PAST ? 1 : 0)) this.setItemPast(i, state[i] === PAST ? 1 : 0);
      }
      this.insertItems(shown);
    }

    /** Give event i's marker the look it should have; a marker that has it is not touched, nor
     *  is a hidden one (it gets its look when shown). On a canvas: the shared look and its radius
     *  (the marker's bounds follow), then one whole redraw. */
    styleMarker(marker, i) {
      const look = this.lookFor(i), previous = marker.look;
      if (previous === look || look === null) return;
      marker.look = look;
      if (this.sharedLooks) {
        marker.options = look;
        if (marker._radius !== look.radius) {
          // bounds too big do no harm (a click tests the circle): only growing needs new ones
          const grows = look.radius > marker._radius;
          marker._radius = look.radius;
          if (marker._hidden || !marker._point) marker._stale = true;
          else if (grows) marker._updateBounds();
        }
        this.renderer.redrawAll();
        return;
      }
      // SVG: setStyle only when the attributes differ; the past look is a class on the path
      if ((previous.attributes || previous) !== (look.attributes || look)) marker.setStyle(look);
      else marker.options.className = look.className;   // the class of a path made later
      const path = marker.getElement();
      if (path) path.classList.toggle('is-past', look.className !== 'event-marker');
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

    /** Event i's marker, made and added to the map hidden; the group is its event parent (one
     *  click handler and one tooltip for all markers). */
    makeMarker(i) {
      const look = this.looks.get(this.events[i].category)[CURRENT];
      const marker = new EventMarker(this.latlngOf[i], look);
      if (this.sharedLooks) marker.options = look;
      marker.look = look;
      marker._hidden = true;
      marker.addEventParent(this.markerGroup);
      this.map.addLayer(marker);
      // ready to be shown (on SVG its path drawn, out of the DOM); only a zoom undoes this
      L.CircleMarker.prototype._project.call(marker);
      marker._renderer._updateCircle(marker);
      marker._stale = false;
      this.markerOf[i] = marker;
      return marker;
    }

    /** Show event i's marker: on SVG its path goes back into the DOM (on top, as an added layer
     *  would); a zoom while it was hidden is caught up with. */
    showMarker(marker, i) {
      marker.eventIndex = i;
      if (!marker._hidden) return;
      marker._hidden = false;
      if (marker._stale) {
        marker._project();
        marker._update();
      }
      if (!this.sharedLooks) this.renderer._rootGroup.appendChild(marker._path);
    }

    hideMarker(marker) {
      marker.eventIndex = undefined;
      if (marker._hidden) return;
      marker._hidden = true;
      if (!this.sharedLooks) marker._path.remove();
    }

    /** Bounds of what the shown day adds: its markers and current routes. */
    dayBounds() {
      const bounds = L.latLngBounds([]);
      for (const i of this.activeOn[this.day]) {
        if (this.state[i] === CURRENT && this.markerOf[i]) bounds.extend(this.markerOf[i].getLatLng());
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
      for (const i of this.activeOn[this.day]) {
        if (this.state[i] === CURRENT && this.markerOf[i] && view.contains(this.markerOf[i].getLatLng())) return;
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
        if (layer.styledAs !== state) {
          layer.setStyle({
            color: this.categories.get(route.category).color,
            weight: state === PAST ? 3 : 5,
            opacity: state === PAST ? 0.4 : 0.85,
            dashArray: route.category === 'soviet' ? '8 6' : null,
          });
          layer.styledAs = state;
        }
        if (!this.map.hasLayer(layer)) layer.addTo(this.map);
      }
    }

    /** Whether event i is on the map and in the list now. */
    isShown(i) {
      return this.state[i] !== HIDDEN;
    }
  }

  Object.assign(DaySlider.prototype, global.Budapest1956.eventList, global.Budapest1956.controls,
    global.Budapest1956.detailsPanel, global.Budapest1956.urlState);

  global.Budapest1956 = Object.assign(global.Budapest1956, {
    DaySlider,
    daySlider(map, options, data) {
      this.current = new DaySlider(map, options, data);
      return this.current;
    },
  });
})(window);
