/* Budapest 1956 share dialog.
 * Owns #share-dialog: reads the options a teacher picks (day, mode, language, layers, controls,
 * tiles, size), builds the link and a responsive iframe snippet from them, shows a live preview,
 * and copies either to the clipboard. It reads the slider's current day when the dialog opens.
 */
(function (global) {
  'use strict';

  const ALL_CONTROLS = ['slider', 'list', 'legend'];

  function escapeAttr(text) {
    return String(text).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  }

  class ShareDialog {
    constructor(dialog, opener) {
      this.dialog = dialog;
      this.form = dialog.querySelector('form');
      this.preview = dialog.querySelector('#share-preview');
      this.code = dialog.querySelector('#share-code');
      this.link = dialog.querySelector('#share-link');
      this.copied = dialog.querySelector('.share-copied');
      this.embedUrl = dialog.dataset.embedUrl;
      this.mapUrl = dialog.dataset.mapUrl;
      this.title = dialog.dataset.title;
      this.previewTimer = null;
      opener.hidden = false;
      opener.addEventListener('click', () => this.open());
      this.form.addEventListener('change', () => this.update());
      for (const button of dialog.querySelectorAll('[data-copy]')) {
        button.addEventListener('click', () => this.copy(dialog.querySelector(`#${button.dataset.copy}`)));
      }
      dialog.addEventListener('close', () => opener.focus());
    }

    open() {
      const slider = global.Budapest1956 && global.Budapest1956.current;
      const select = this.form.elements.date;
      if (slider && !select.options.length) {
        slider.days.forEach((iso, i) => select.add(new Option(slider.data.dayLabels[i], iso)));
      }
      if (slider) {
        select.value = slider.days[slider.day];
        this.form.querySelector(`input[name=mode][value="${slider.mode}"]`).checked = true;
        this.form.elements.lang.value = slider.data.lang;
        for (const box of this.form.querySelectorAll('input[name=layers]')) box.checked = slider.enabled.has(box.value);
      }
      this.update();
      this.dialog.showModal();
    }

    /** The query string the chosen options stand for; defaults are left out to keep links short. */
    query() {
      const f = this.form;
      const params = new URLSearchParams({ date: f.elements.date.value, mode: f.querySelector('input[name=mode]:checked').value });
      if (f.elements.lang.value !== 'en') params.set('lang', f.elements.lang.value);
      const layers = [...f.querySelectorAll('input[name=layers]')];
      const chosen = layers.filter((b) => b.checked).map((b) => b.value);
      if (chosen.length && chosen.length < layers.length) params.set('layers', chosen.join(','));
      const controls = [...f.querySelectorAll('input[name=controls]:checked')].map((b) => b.value);
      if (controls.length < ALL_CONTROLS.length) params.set('controls', controls.length ? controls.join(',') : 'none');
      if (f.querySelector('input[name=tiles]').checked) params.set('tiles', 'none');
      return params;
    }

    snippet(src) {
      const size = this.form.elements.size.value;
      const title = escapeAttr(this.title);
      if (size === 'responsive') {
        return `<div style="position:relative;width:100%;max-width:1100px;aspect-ratio:3/2;min-height:420px">` +
          `<iframe src="${escapeAttr(src)}" title="${title}" style="position:absolute;inset:0;width:100%;height:100%;border:0" ` +
          `loading="lazy" allowfullscreen></iframe></div>`;
      }
      const [width, height] = size.split('x');
      return `<iframe src="${escapeAttr(src)}" title="${title}" width="${width}" height="${height}" ` +
        `style="border:0;max-width:100%" loading="lazy" allowfullscreen></iframe>`;
    }

    update() {
      const params = this.query();
      const embedSrc = `${this.embedUrl}?${params}`;
      const linkParams = new URLSearchParams(params);
      linkParams.delete('controls');
      this.code.value = this.snippet(embedSrc);
      this.link.value = `${this.mapUrl}?${linkParams}`;
      this.copied.textContent = '';
      clearTimeout(this.previewTimer);
      this.previewTimer = setTimeout(() => { this.preview.src = embedSrc; }, 250);
    }

    async copy(field) {
      let done = false;
      try {
        await navigator.clipboard.writeText(field.value);
        done = true;
      } catch (e) {
        field.select();
        try { done = document.execCommand('copy'); } catch (err) { done = false; }
      }
      this.copied.textContent = done ? this.copied.dataset.copied : '';
      field.focus();
      field.select();
    }
  }

  function start() {
    const dialog = document.getElementById('share-dialog');
    const opener = document.getElementById('share-open');
    // A static copy has no public address to share (data-embed-url is empty): no Share button there.
    if (dialog && opener && dialog.dataset.embedUrl && typeof dialog.showModal === 'function') {
      global.Budapest1956 = global.Budapest1956 || {};
      global.Budapest1956.share = new ShareDialog(dialog, opener);
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})(window);
