/* Budapest 1956 day controls.
 * Owns the controls that drive the DaySlider (static/js/dayslider): the range input with its date,
 * previous/next, play/pause, the mode switch and "Zoom to this day's places", and the category
 * legend; keeps them in step with what is shown; and the public steps a lesson panel calls
 * (goToDate, openEvent, flyTo). Mixed into the DaySlider; text goes in as text.
 */
(function (global) {
  'use strict';

  const { el } = global.Budapest1956.dom;

  global.Budapest1956.controls = {
    buildControls(root) {
      const t = this.t;
      const id = (name) => `${this.options.controlsId}-${name}`;
      this.dateLabel = el('p', { class: 'ds-date', id: id('date'), 'aria-hidden': 'true' });
      const label = el('label', { for: id('range'), class: 'ds-label' }, t.dayLabel);
      this.range = el('input', {
        type: 'range', id: id('range'), class: 'ds-range', min: 0, max: this.days.length - 1, step: 1, value: 0,
      });
      this.rangeValue = '0';
      this.range.addEventListener('input', () => {
        this.rangeValue = this.range.value;
        this.show(Number(this.rangeValue), this.mode, { follow: true });
      });
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
    },

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
    },

    /** Controls in step with the state; a value that is already right (the range after its own
     *  input event, the mode on a day step) is not written again, and none is read back: reading
     *  the range's value after a step's DOM changes makes the browser lay out the page. */
    updateControls() {
      const label = this.data.dayLabels[this.day], value = String(this.day);
      if (this.rangeValue !== value) {
        this.range.value = value;
        this.rangeValue = value;
      }
      this.range.setAttribute('aria-valuetext', label);
      this.dateLabel.textContent = label;
      if (!this.modeInputs[this.mode].checked) this.modeInputs[this.mode].checked = true;
    },

    reducedMotion() {
      return global.matchMedia && global.matchMedia('(prefers-reduced-motion: reduce)').matches;
    },

    play() {
      if (this.day >= this.days.length - 1) this.show(0, this.mode);
      this.playButton.setAttribute('aria-pressed', 'true');
      this.playButton.textContent = this.t.pause;
      const interval = this.reducedMotion() ? this.options.playIntervalMs * 2 : this.options.playIntervalMs;
      this.timer = setInterval(() => {
        if (this.day >= this.days.length - 1) this.pause();
        else this.show(this.day + 1, this.mode, { follow: true });
      }, interval);
    },

    pause() {
      clearInterval(this.timer);
      this.timer = null;
      this.playButton.setAttribute('aria-pressed', 'false');
      this.playButton.textContent = this.t.play;
    },

    /* ---- public: what other scripts may call (lessons.js steps through a lesson with these) ---- */

    /** Show the day `iso` (YYYY-MM-DD) in the current mode; false when the map has no such day. */
    goToDate(iso) {
      const day = this.days.indexOf(iso);
      if (day < 0) return false;
      this.show(day, this.mode);
      return true;
    },

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
    },

    /** Move the map to `view`, {center: [lat, lon], zoom} or {bounds: [[south, west], [north, east]]};
     *  animated unless the reader prefers reduced motion. */
    flyTo(view) {
      const animate = !this.reducedMotion();
      if (view.bounds) this.map.flyToBounds(view.bounds, { padding: [30, 30], maxZoom: 15, animate, duration: 1 });
      else this.map.flyTo(view.center, view.zoom || this.map.getZoom(), { animate, duration: 1 });
    },
  };
})(window);
