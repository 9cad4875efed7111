/* Budapest 1956 URL state.
 * Owns the page's address: reads and checks every documented parameter (date, mode, lang, layers,
 * controls, center, zoom, tiles) and explains a bad one on the page, applies the view, tiles and
 * visible controls it asks for, and keeps the address and the state-keeping links in step with
 * the slider. Mixed into the DaySlider (static/js/dayslider).
 */
(function (global) {
  'use strict';

  const { fmt } = global.Budapest1956.dom;
  const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
  const CONTROLS = ['slider', 'list', 'legend'];

  global.Budapest1956.urlState = {
    /* ---- URL state: every documented parameter is read and checked here ---- */
    readUrl() {
      const params = new URLSearchParams(global.location.search);
      const t = this.t;
      const notes = [];
      const bad = (name, value, expected) => notes.push(fmt(t.badParam, { name, value, expected }));
      const state = { day: this.options.initialDay || 0, mode: this.options.mode || 'day' };
      const rawMode = params.get('mode');
      if (rawMode !== null) {
        if (rawMode === 'day' || rawMode === 'cumulative') state.mode = rawMode;
        else bad('mode', rawMode, 'day, cumulative');
      }
      const rawDate = params.get('date');
      if (rawDate !== null) {
        const parsed = ISO_DATE.test(rawDate) ? new Date(rawDate + 'T00:00:00Z') : null;
        if (!parsed || isNaN(parsed) || parsed.toISOString().slice(0, 10) !== rawDate) {
          bad('date', rawDate, 'YYYY-MM-DD');
        } else if (rawDate < this.days[0]) {
          state.day = 0;
          notes.push(fmt(t.clamped, { value: rawDate, day: this.data.dayLabels[0] }));
        } else if (rawDate > this.days[this.days.length - 1]) {
          state.day = this.days.length - 1;
          notes.push(fmt(t.clamped, { value: rawDate, day: this.data.dayLabels[state.day] }));
        } else {
          state.day = this.days.indexOf(rawDate);
        }
      }
      const rawLang = params.get('lang');
      if (rawLang !== null && rawLang !== 'en' && rawLang !== 'hu') bad('lang', rawLang, 'en, hu');
      const rawLayers = params.get('layers');
      if (rawLayers !== null) {
        const wanted = rawLayers.split(',').map((x) => x.trim()).filter(Boolean);
        const unknown = wanted.filter((x) => !this.categories.has(x));
        if (unknown.length || !wanted.length) bad('layers', rawLayers, [...this.categories.keys()].join(', '));
        const known = wanted.filter((x) => this.categories.has(x));
        if (known.length) this.enabled = new Set(known);
      }
      const rawControls = params.get('controls');
      this.controls = new Set(CONTROLS);
      if (rawControls !== null) {
        const wanted = rawControls.split(',').map((x) => x.trim()).filter(Boolean);
        const unknown = wanted.filter((x) => x !== 'none' && !CONTROLS.includes(x));
        if (unknown.length) bad('controls', rawControls, `none, or some of ${CONTROLS.join(', ')}`);
        else this.controls = new Set(wanted.filter((x) => CONTROLS.includes(x)));
      }
      const rawCenter = params.get('center');
      if (rawCenter !== null) {
        const parts = rawCenter.split(',').map(Number);
        if (parts.length === 2 && parts.every(Number.isFinite) && Math.abs(parts[0]) <= 90 && Math.abs(parts[1]) <= 180) {
          state.center = parts;
        } else bad('center', rawCenter, 'lat,lon in degrees, e.g. 47.4979,19.0402');
      }
      const rawZoom = params.get('zoom');
      if (rawZoom !== null) {
        const zoom = Number(rawZoom);
        if (Number.isInteger(zoom) && zoom >= 1 && zoom <= 19) state.zoom = zoom;
        else bad('zoom', rawZoom, 'a whole number from 1 to 19');
      }
      const rawTiles = params.get('tiles');
      state.tiles = true;
      if (rawTiles !== null) {
        if (rawTiles === 'none') state.tiles = false;
        else if (rawTiles !== 'default') bad('tiles', rawTiles, 'none, default');
      }
      if (notes.length) {
        this.status.textContent = notes.join(' ');
        this.status.hidden = false;
      }
      return state;
    },

    /** Apply what the URL asked for that is not a day: view, tiles, visible controls. */
    applyView(state) {
      if (state.center || state.zoom) {
        this.map.setView(state.center || this.map.getCenter(), state.zoom || this.map.getZoom(), { animate: false });
      }
      const tiles = this.options.tiles;
      if (state.tiles && tiles && tiles.url) {
        L.tileLayer(tiles.url, {
          attribution: tiles.attribution, maxZoom: tiles.maxZoom, referrerPolicy: 'strict-origin-when-cross-origin',
        }).addTo(this.map);
      }
      const body = document.body;
      for (const control of CONTROLS) body.classList.toggle(`hide-${control}`, !this.controls.has(control));
      if (!this.controls.has('slider') && !this.controls.has('list') && !this.controls.has('legend')) body.classList.add('hide-panel');
      this.map.invalidateSize();
    },

    /** Links marked data-keep-state follow the slider: "day" keeps date and mode, "all" every
     *  parameter of this page (embed options included); each link's own part is worked out once
     *  (refreshLinks). The address is replaced at most every 120 ms (browsers throttle history
     *  changes), and the hrefs with it, or at once when anything can use a link (setting an href
     *  costs about 50 us). */
    writeUrl() {
      this.urlState = { date: this.days[this.day], mode: this.mode };
      if (!this.stateLinks) {
        this.refreshLinks();
        this.updateLinks();
        const flush = (e) => { if (this.linksStale && e.target instanceof Element && e.target.closest('a[data-keep-state]')) this.updateLinks(); };
        for (const type of ['pointerover', 'pointerdown', 'mousedown', 'focusin', 'keydown', 'click', 'auxclick', 'contextmenu', 'dragstart', 'touchstart']) {
          document.addEventListener(type, flush, { capture: true, passive: true });
        }
      } else {
        this.linksStale = true;
      }
      if (!this.urlTimer) {
        this.urlTimer = setTimeout(() => {
          this.urlTimer = null;
          this.flushLinks();
          this.replaceUrl(this.urlState);
        }, 120);
      }
    },

    /** The links' hrefs as the slider is now (lessons.js calls this before adding its part). */
    flushLinks() {
      if (this.linksStale) this.updateLinks();
    },

    updateLinks() {
      this.linksStale = false;
      const head = new URLSearchParams(this.urlState).toString();
      for (const { link, base, tail } of this.stateLinks) link.setAttribute('href', `${base}?${head}${tail}`);
    },

    /** Find the links that follow the slider, and what each keeps besides date and mode. */
    refreshLinks() {
      const page = new URLSearchParams(global.location.search);
      this.stateLinks = [...document.querySelectorAll('a[data-keep-state]')].map((link) => {
        const [base, own] = link.getAttribute('href').split('?');
        const extra = link.dataset.keepState === 'all' ? page : new URLSearchParams(own || '');
        const kept = new URLSearchParams();
        for (const [key, value] of extra) {
          if (key !== 'date' && key !== 'mode' && key !== 'controls' && !kept.has(key)) kept.set(key, value);
        }
        const tail = kept.toString();
        return { link, base, tail: tail ? `&${tail}` : '' };
      });
    },

    replaceUrl(state) {
      try {
        const params = new URLSearchParams(global.location.search);
        params.set('date', state.date);
        params.set('mode', state.mode);
        global.history.replaceState(null, '', `${global.location.pathname}?${params}${global.location.hash}`);
      } catch (e) {
        /* an opaque-origin sandbox may refuse history changes: the map works without them */
      }
    }
  };
})(window);
