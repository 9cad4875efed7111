/* Budapest 1956 event list.
 * Owns the list items, the text alternative of the map: one <li> per shown event, in event order
 * (start day, then file order). Mixed into the DaySlider (static/js/dayslider); all data text goes
 * in as text nodes.
 * Each item is built once (in idle time after the first draw, or when a step needs it first) from
 * a per-category template (swatch colour and category already set), then only moved in and out. A step removes the items that leave
 * one by one and appends the items that arrive in one call: a day's new events come after the
 * ones that stay, so a step forward appends. Nothing here reads layout.
 */
(function (global) {
  'use strict';

  const { el } = global.Budapest1956.dom;

  global.Budapest1956.eventList = {
    initList(list) {
      this.list = list;
      this.items = new Array(this.events.length);
      this.itemPast = new Uint8Array(this.events.length);
      this.itemTemplates = new Map();
      for (const cat of this.data.categories) {
        const li = el('li', { class: 'event-item', 'data-category': cat.id });
        const button = el('button', { type: 'button', class: 'event-button' });
        const swatch = el('span', { class: 'swatch', 'aria-hidden': 'true' });
        swatch.style.backgroundColor = cat.color;
        const text = (cls) => {
          const span = el('span', { class: cls });
          span.append(document.createTextNode(''));
          return span;
        };
        button.append(swatch, text('event-when'), text('event-title'), text('event-place'));
        li.append(button);
        this.itemTemplates.set(cat.id, li);
      }
      list.addEventListener('click', (e) => {
        const item = e.target.closest('li.event-item');
        if (item && item.eventIndex !== undefined) this.select(item.eventIndex, { from: 'list' });
      });
    },

    /** The list item of event i, cloned from its category's template the first time it is shown. */
    itemFor(i) {
      let li = this.items[i];
      if (li) return li;
      const ev = this.events[i];
      li = this.itemTemplates.get(ev.category).cloneNode(true);
      li.setAttribute('data-event-id', ev.id);
      const when = li.firstChild.firstChild.nextSibling;
      when.firstChild.data = ev.time ? `${ev.dateRange}, ${ev.time}` : ev.dateRange;
      when.nextSibling.firstChild.data = ev.title;
      when.nextSibling.nextSibling.firstChild.data = this.placeName(ev);
      li.eventIndex = i;
      this.items[i] = li;
      return li;
    },

    /** Mark an item as of an earlier day (cumulative mode) or not; touches the DOM only on a change. */
    setItemPast(i, past) {
      if (this.itemPast[i] === past) return;
      this.itemPast[i] = past;
      this.items[i].classList.toggle('is-past', past === 1);
    },

    removeItems(indexes) {
      const items = this.items;
      for (let k = 0; k < indexes.length; k++) items[indexes[k]].remove();
    },

    /** Put newly shown items (built, sorted by index) into the list in event order. */
    insertItems(added) {
      if (!added.length) return;
      const list = this.list, items = this.items;
      const last = list.lastElementChild;
      if (!last || last.eventIndex < added[0]) {
        // one append per 10,000 items: one call into the DOM instead of one per item
        for (let k = 0; k < added.length; k += 10000) {
          list.append(...added.slice(k, k + 10000).map((i) => items[i]));
        }
        return;
      }
      let node = list.firstElementChild;
      for (let k = 0; k < added.length; k++) {
        const i = added[k];
        while (node && node.eventIndex < i) node = node.nextElementSibling;
        list.insertBefore(items[i], node);
      }
    },

    placeName(ev) {
      if (ev.site && this.data.sites[ev.site]) return this.data.sites[ev.site].name;
      const route = ev.route ? this.data.routes.find((r) => r.id === ev.route) : null;
      return route ? route.name : '';
    },
  };
})(window);
