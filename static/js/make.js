/* Budapest 1956 /make page.
 * Niceties only (the form works without this file): a file over the upload limit is named at once,
 * before it is sent; a second click while the spreadsheet is being read is ignored, and the page
 * says it is reading. The server checks everything again.
 */
(function () {
  'use strict';

  const form = document.querySelector('.make-form');
  if (!form) return;
  const input = form.querySelector('input[type=file]');
  const busy = form.querySelector('.make-busy');
  const tooBig = document.getElementById('make-too-big');
  const limit = Number(input.dataset.limit || 0);
  let sending = false;

  function oversized() {
    const file = input.files && input.files[0];
    return Boolean(file && limit && file.size > limit);
  }

  input.addEventListener('change', () => {
    const over = oversized();
    tooBig.hidden = !over;
    input.setAttribute('aria-invalid', over ? 'true' : 'false');
  });

  form.addEventListener('submit', (event) => {
    if (sending || oversized()) {
      event.preventDefault();
      if (oversized()) tooBig.hidden = false;
      return;
    }
    sending = true;  // the submit button stays enabled: a disabled button would not send its value
    busy.hidden = false;
    form.setAttribute('aria-busy', 'true');
  });

  // back to this page from a download or a preview: the form can be sent again
  window.addEventListener('pageshow', () => {
    sending = false;
    busy.hidden = true;
    form.removeAttribute('aria-busy');
  });
})();
