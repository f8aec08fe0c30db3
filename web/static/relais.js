// Relais: a little progressive enhancement. Every page works without it.
(function () {
  'use strict';

  // Show dates in the reader's language and time zone.
  var lang = document.documentElement.lang || 'en';
  var fmt;
  try {
    fmt = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
  } catch (e) {
    fmt = null;
  }
  if (fmt) {
    document.querySelectorAll('time[datetime]').forEach(function (t) {
      var d = new Date(t.getAttribute('datetime'));
      if (!isNaN(d.getTime())) {
        t.title = t.textContent;
        t.textContent = fmt.format(d);
      }
    });
  }

  // Send a form once: a second click while the page loads does nothing.
  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (form.dataset.sent) {
      e.preventDefault();
      return;
    }
    form.dataset.sent = '1';
    form.setAttribute('aria-busy', 'true');
  });
  // Coming back with the history buttons re-enables the forms.
  window.addEventListener('pageshow', function () {
    document.querySelectorAll('form[data-sent]').forEach(function (f) {
      delete f.dataset.sent;
      f.removeAttribute('aria-busy');
    });
  });

  // Opening the compose form by hand moves the focus to its first field.
  var compose = document.getElementById('compose');
  var summary = compose && compose.querySelector('summary');
  if (summary) {
    summary.addEventListener('click', function () {
      setTimeout(function () {
        if (compose.open) {
          var first = compose.querySelector('select, input:not([type=hidden]), textarea');
          if (first) first.focus();
        }
      }, 0);
    });
  }

  // The skip link focuses the main region.
  var skip = document.querySelector('.skip');
  var main = document.getElementById('main');
  if (skip && main) {
    skip.addEventListener('click', function () { main.focus(); });
  }
})();
