/* Budapest 1956 event details.
 * Owns selection (an event's item and marker highlighted, its details open) and what the details
 * panel shows for one event: title, date and time, the place with its 1956 and today's names,
 * the summary, the contested figures beside their sources, and the sources as links. Mixed into
 * the DaySlider (static/js/dayslider); all data text goes in as textContent.
 */
(function (global) {
  'use strict';

  const { el, fmt, isWebUrl } = global.Budapest1956.dom;

  global.Budapest1956.detailsPanel = {
    /** Select event i: highlight its item and marker, and open its details. opts.from: 'list'
     *  (brings the place into view and focuses the details), 'marker' (scrolls the item into
     *  view) or 'script' (neither). */
    select(i, opts) {
      const previous = this.selected;
      this.selected = i;
      if (previous >= 0 && previous !== i) this.unhighlight(previous);
      const item = this.itemFor(i);
      item.classList.add('is-selected');
      item.firstChild.setAttribute('aria-current', 'true');
      const marker = this.markerOf[i];
      const reveal = opts.from === 'list';
      if (marker) {
        this.styleMarker(marker, i);
        marker.bringToFront();
        if (reveal && !this.map.getBounds().contains(marker.getLatLng())) {
          this.map.setView(marker.getLatLng(), Math.max(this.map.getZoom(), 8), { animate: !this.reducedMotion() });
        }
      } else if (this.events[i].route && this.routeLayers.has(this.events[i].route) && reveal) {
        this.map.fitBounds(this.routeLayers.get(this.events[i].route).getBounds(), { padding: [20, 20], animate: !this.reducedMotion() });
      }
      if (opts.from === 'marker') item.scrollIntoView({ block: 'nearest' });
      this.renderDetails(this.events[i]);
      this.details.scrollIntoView({ block: 'nearest' });
      if (opts.from === 'list') this.details.focus({ preventScroll: true });
    },

    /** Undo the selection look of event i's item and marker. */
    unhighlight(i) {
      if (this.items[i]) {
        this.items[i].classList.remove('is-selected');
        this.items[i].firstChild.removeAttribute('aria-current');
      }
      if (this.markerOf[i]) this.styleMarker(this.markerOf[i], i);
    },

    closeDetails() {
      const i = this.selected;
      this.selected = -1;
      if (i >= 0) this.unhighlight(i);
      this.details.hidden = true;
      this.details.replaceChildren();
    },

    /* ---- the panel ---- */
    renderDetails(ev) {
      const t = this.t;
      const box = this.details;
      const close = el('button', { type: 'button', class: 'details-close', 'aria-label': t.close }, '×');
      close.addEventListener('click', () => {
        const i = this.selected;
        this.closeDetails();
        if (i >= 0 && this.items[i]) this.items[i].querySelector('button').focus();
      });
      const parts = [close, el('h2', { id: 'event-details-title' }, ev.title)];
      parts.push(el('p', { class: 'details-when' }, ev.time ? `${ev.dateRange}, ${ev.time}` : ev.dateRange));
      const site = ev.site ? this.data.sites[ev.site] : null;
      if (site) {
        const place = el('p', { class: 'details-place' });
        place.append(el('strong', null, site.name));
        const names = site.name1956 === site.nameToday
          ? fmt(t.placeSame, { name: site.name1956 })
          : fmt(t.placeRenamed, { then: site.name1956, now: site.nameToday });
        place.append(el('span', { class: 'details-names' }, ' ' + names));
        parts.push(place);
        if (site.precisionNote) {
          const note = el('details', { class: 'details-precision' });
          note.append(el('summary', null, site.precision === 'area' ? t.precisionArea : t.precisionApproximate),
            el('p', null, site.precisionNote));
          parts.push(note);
        }
      } else if (ev.route) {
        parts.push(el('p', { class: 'details-place' }, this.placeName(ev)));
      }
      parts.push(el('p', { class: 'details-summary' }, ev.summary));
      if (ev.claims.length) parts.push(...this.claimsTable(ev));
      parts.push(el('h3', null, t.sources));
      const list = el('ul', { class: 'details-sources' });
      for (const id of ev.sources) {
        const src = this.data.sources[id];
        if (!src) continue;
        const li = el('li');
        if (isWebUrl(src.url)) {
          li.append(el('a', { href: src.url, target: '_blank', rel: 'noopener noreferrer' }, src.title));
        } else {
          li.append(el('span', null, src.title));
        }
        li.append(el('span', { class: 'source-by' }, ` — ${[src.author, src.publisher, src.year || t.undated].filter(Boolean).join(', ')}`));
        if (src.kind && t[`kind_${src.kind}`]) li.append(el('span', { class: 'source-kind' }, t[`kind_${src.kind}`]));
        list.append(li);
      }
      parts.push(list);
      if (this.options.sourcesUrl) {
        const more = el('p', { class: 'details-all-sources' });
        more.append(el('a', { href: this.options.sourcesUrl }, t.allSources));
        parts.push(more);
      }
      box.replaceChildren(...parts);
      box.setAttribute('aria-labelledby', 'event-details-title');
      box.hidden = false;
    },

    /** Contested figures, grouped by what they measure: each figure beside the source that gives it. */
    claimsTable(ev) {
      const t = this.t;
      const groups = new Map();
      for (const c of ev.claims) {
        if (!groups.has(c.measure)) groups.set(c.measure, []);
        groups.get(c.measure).push(c);
      }
      const parts = [el('h3', null, t.claimsHeading)];
      for (const [measure, claims] of groups) {
        const table = el('table', { class: 'claims' });
        table.append(el('caption', null, measure));
        const head = el('tr');
        head.append(el('th', { scope: 'col' }, t.claimValue), el('th', { scope: 'col' }, t.claimSource));
        const thead = el('thead');
        thead.append(head);
        const body = el('tbody');
        for (const c of claims) {
          const src = this.data.sources[c.source];
          const row = el('tr');
          const value = el('td', null, c.value);
          if (c.note) value.append(el('span', { class: 'claim-note' }, ` (${c.note})`));
          const by = el('td');
          if (src && isWebUrl(src.url)) by.append(el('a', { href: src.url, target: '_blank', rel: 'noopener noreferrer' }, src.publisher || src.title));
          else by.textContent = src ? src.publisher : c.source;
          row.append(value, by);
          body.append(row);
        }
        table.append(thead, body);
        parts.push(table);
      }
      return parts;
    }
  };
})(window);
