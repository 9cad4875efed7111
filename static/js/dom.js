/* Budapest 1956 DOM helpers.
 * Owns the three small helpers the map's scripts share: build an element with its text set as
 * textContent (never as HTML), fill a message template, and tell a web link from anything else.
 */
(function (global) {
  'use strict';

  /** Create an element; `text` goes in with textContent, attributes with setAttribute. */
  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    if (attrs) {
      for (const [name, value] of Object.entries(attrs)) {
        if (value !== null && value !== undefined && value !== false) node.setAttribute(name, value === true ? '' : value);
      }
    }
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function fmt(template, values) {
    return template.replace(/\{(\w+)\}/g, (m, key) => (key in values ? String(values[key]) : m));
  }

  function isWebUrl(url) {
    try {
      const parsed = new URL(url);
      return parsed.protocol === 'http:' || parsed.protocol === 'https:';
    } catch (e) {
      return false;
    }
  }

  global.Budapest1956 = Object.assign(global.Budapest1956 || {}, { dom: { el, fmt, isWebUrl } });
})(window);
