/* Budapest 1956 lessons.
 * Owns the Lessons control (#lessons: a button that opens the list of lessons) and the lesson panel
 * (#lesson-panel: "Stop N of M", the stop, the question for students, Previous/Next), a live region
 * that announces each stop, and the ?lesson=ID&stop=N part of the address (replaceState, so a
 * copied link returns to the stop; Escape leaves the lesson). The lessons come from the language's
 * data file (Budapest1956.pageData.lessons: a plain script, so a copy opened from file:// needs no
 * fetch); #lessons[data-links=none] (the embed) leaves out the links to the worksheet and the
 * walk. Every text goes in with textContent. The map moves only through the day slider's public
 * methods: goToDate, openEvent, flyTo and closeDetails (static/js/dayslider), so the panel starts
 * once the slider has (the page's own script makes it on DOMContentLoaded).
 */
(function (global) {
  'use strict';

  const B = global.Budapest1956;
  const root = document.getElementById('lessons');
  if (!root || !B || !B.pageData || !B.pageData.lessons) return;
  const { el, fmt } = B.dom;

  class Lessons {
    constructor(slider, data) {
      this.slider = slider;
      this.lessons = data.lessons;
      this.t = data.strings;
      this.lesson = null;
      this.index = 0;
      this.build();
      document.addEventListener('keydown', (e) => this.onKey(e));
      this.readUrl();
    }

    /* ---- the Lessons control and the panel, built once ---- */
    build() {
      const t = this.t;
      this.toggle = el('button', { type: 'button', id: 'lessons-open', class: 'lessons-open', 'aria-expanded': 'false', 'aria-controls': 'lessons-list' }, t.lessons);
      this.toggle.addEventListener('click', () => this.showList(this.list.hidden));
      this.list = el('div', { id: 'lessons-list', class: 'lessons-list', hidden: true });
      this.list.append(el('p', { class: 'lessons-help' }, t.lessonsHelp));
      const items = el('ul');
      this.lessons.forEach((lesson, index) => {
        const button = el('button', { type: 'button', class: 'lesson-choice', 'data-lesson-id': lesson.id });
        button.append(el('span', { class: 'lesson-choice-title' }, lesson.title),
          el('span', { class: 'lesson-choice-meta' }, `${lesson.ages} · ${fmt(t.lessonStops, { count: lesson.stops.length })}`));
        button.addEventListener('click', () => this.open(index, 0, { focus: true }));
        const li = el('li');
        li.append(button);
        items.append(li);
      });
      this.list.append(items);

      this.panel = el('section', { id: 'lesson-panel', class: 'lesson-panel', 'aria-labelledby': 'lesson-panel-title', tabindex: '-1', hidden: true });
      this.title = el('h2', { id: 'lesson-panel-title', class: 'lesson-title' });
      this.about = el('details', { class: 'lesson-about' });
      this.aboutText = el('p');
      this.aboutAges = el('p', { class: 'lesson-ages' });
      this.about.append(el('summary', null, t.lessonAbout), this.aboutText, this.aboutAges);
      this.progress = el('p', { class: 'lesson-progress' });
      this.stopTitle = el('h3', { class: 'lesson-stop-title' });
      this.stopWhere = el('p', { class: 'lesson-stop-where' });
      this.question = el('p', { class: 'lesson-question' });
      this.prev = this.navButton('lesson-prev', t.previous, '‹ ', '');
      this.next = this.navButton('lesson-next', t.next, '', ' ›');
      this.prev.addEventListener('click', () => this.step(-1));
      this.next.addEventListener('click', () => this.step(1));
      const nav = el('div', { class: 'lesson-nav' });
      nav.append(this.prev, this.next);
      this.links = el('p', { class: 'lesson-links' });
      const leave = el('button', { type: 'button', class: 'lesson-leave' }, t.leaveLesson);
      leave.addEventListener('click', () => this.leave());
      this.panel.append(this.title, this.about, this.progress, this.stopTitle, this.stopWhere, this.question, nav, this.links, leave);
      this.live = el('p', { class: 'visually-hidden', 'aria-live': 'polite', id: 'lesson-live' });
      root.replaceChildren(this.toggle, this.list, this.panel, this.live);
    }

    /** A Previous/Next button whose accessible name is the word alone (the arrow is decoration). */
    navButton(cls, text, before, after) {
      const button = el('button', { type: 'button', class: cls });
      if (before) button.append(el('span', { 'aria-hidden': 'true' }, before));
      button.append(document.createTextNode(text));
      if (after) button.append(el('span', { 'aria-hidden': 'true' }, after));
      return button;
    }

    showList(open) {
      this.list.hidden = !open;
      this.toggle.setAttribute('aria-expanded', String(open));
    }

    /* ---- opening, stepping, leaving ---- */
    open(lessonIndex, stopIndex, opts) {
      this.lesson = this.lessons[lessonIndex];
      this.showList(false);
      this.title.textContent = this.lesson.title;
      this.aboutText.textContent = this.lesson.intro;
      this.aboutAges.textContent = this.lesson.ages;
      this.about.open = stopIndex === 0;
      this.links.replaceChildren();
      for (const [href, text] of [[this.lesson.worksheet, this.t.worksheet], [this.lesson.walk, this.t.walkLesson]]) {
        if (!href) continue;
        if (this.links.childNodes.length) this.links.append(document.createTextNode(' · '));
        this.links.append(el('a', { href }, text));
      }
      this.links.hidden = !this.links.childNodes.length;
      this.panel.hidden = false;
      this.setOpen(true);
      this.go(stopIndex);
      if (opts && opts.focus) this.panel.focus();
    }

    /** body.lesson-open gives the panel more room on a phone (lessons.css); the map's
     *  container changes size, so Leaflet is told. */
    setOpen(open) {
      if (document.body.classList.contains('lesson-open') === open) return;
      document.body.classList.toggle('lesson-open', open);
      this.slider.map.invalidateSize({ animate: false });
    }

    step(delta) {
      if (!this.lesson) return;
      const target = this.index + delta;
      if (target < 0 || target >= this.lesson.stops.length) return;
      this.go(target);
    }

    go(stopIndex) {
      const t = this.t;
      const stops = this.lesson.stops;
      const stop = stops[stopIndex];
      this.index = stopIndex;
      if (stop.date) this.slider.goToDate(stop.date);
      if (stop.event) this.slider.openEvent(stop.event);
      else this.slider.closeDetails();
      if (stop.view) this.slider.flyTo(stop.view);
      const progress = fmt(t.lessonStopOf, { n: stopIndex + 1, total: stops.length });
      this.progress.textContent = progress;
      this.stopTitle.textContent = stop.title;
      const where = [stop.when, stop.place, stop.names].filter(Boolean).join(' · ');
      this.stopWhere.textContent = stop.view ? where : [where, t.lessonNoPlace].filter(Boolean).join(' · ');
      this.question.replaceChildren(el('strong', null, `${t.question}: `), document.createTextNode(stop.question));
      this.prev.setAttribute('aria-disabled', String(stopIndex === 0));
      this.next.setAttribute('aria-disabled', String(stopIndex === stops.length - 1));
      this.announce(`${progress}. ${stop.title}. ${t.question}: ${stop.question}`);
      this.writeUrl();
    }

    leave() {
      if (!this.lesson) return;
      this.lesson = null;
      this.panel.hidden = true;
      this.setOpen(false);
      this.writeUrl();
      this.announce(this.t.lessonLeft);
      this.toggle.focus();
    }

    onKey(e) {
      if (e.key !== 'Escape' || e.defaultPrevented || e.target.closest('dialog')) return;
      if (document.querySelector('dialog[open]')) return;
      if (this.lesson) {
        this.leave();
      } else if (!this.list.hidden) {
        this.showList(false);
        this.toggle.focus();
      }
    }

    announce(text) {
      // emptied first, so the same text twice is announced twice
      this.live.textContent = '';
      global.setTimeout(() => { this.live.textContent = text; }, 50);
    }

    /* ---- the address: ?lesson=ID&stop=N, read once and kept in step ---- */
    readUrl() {
      const params = new URLSearchParams(global.location.search);
      const id = params.get('lesson');
      if (id === null) return;
      const t = this.t;
      const index = this.lessons.findIndex((lesson) => lesson.id === id);
      if (index < 0) {
        this.note(fmt(t.badParam, { name: 'lesson', value: id, expected: this.lessons.map((l) => l.id).join(', ') }));
        return;
      }
      const total = this.lessons[index].stops.length;
      const raw = params.get('stop');
      let n = raw === null ? 1 : Number(raw);
      if (!/^\d+$/.test(raw === null ? '1' : raw) || n < 1 || n > total) {
        n = Number.isFinite(n) && n > total ? total : 1;
        this.note(fmt(t.lessonStopClamped, { value: raw, total, n }));
      }
      this.open(index, n - 1, { focus: false });
    }

    note(text) {
      const status = document.getElementById('status');
      if (!status) return;
      status.textContent = [status.textContent, text].filter(Boolean).join(' ');
      status.hidden = false;
    }

    writeUrl() {
      if (this.slider.flushLinks) this.slider.flushLinks();   // the slider's part first, then ours
      const set = (params) => {
        if (this.lesson) {
          params.set('lesson', this.lesson.id);
          params.set('stop', String(this.index + 1));
        } else {
          params.delete('lesson');
          params.delete('stop');
        }
        return params;
      };
      for (const link of document.querySelectorAll('a[data-keep-lesson]')) {
        const [base, own] = link.getAttribute('href').split('?');
        const query = set(new URLSearchParams(own || '')).toString();
        link.setAttribute('href', query ? `${base}?${query}` : base);
      }
      try {
        const query = set(new URLSearchParams(global.location.search)).toString();
        global.history.replaceState(null, '', `${global.location.pathname}${query ? '?' + query : ''}${global.location.hash}`);
      } catch (e) {
        /* an opaque-origin sandbox may refuse history changes: the lesson works without them */
      }
    }
  }

  function start() {
    if (!B.current || B.lessons) return;
    const data = B.pageData.lessons;
    if (root.dataset.links === 'none') {
      data.lessons = data.lessons.map((lesson) => Object.assign({}, lesson, { worksheet: null, walk: null }));
    }
    B.lessons = new Lessons(B.current, data);
  }

  // This file is deferred, like the slider's: it runs before DOMContentLoaded, whose first
  // listener (the page's own script) makes the slider; this listener comes after it.
  if (B.current) start();
  else document.addEventListener('DOMContentLoaded', start);
})(window);
