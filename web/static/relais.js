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
  function localDates(root) {
    if (!fmt) return;
    root.querySelectorAll('time[datetime]').forEach(function (t) {
      var d = new Date(t.getAttribute('datetime'));
      if (!isNaN(d.getTime())) {
        t.title = t.textContent;
        t.textContent = fmt.format(d);
      }
    });
  }
  localDates(document);

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

  // Live updates. The page's stream says what happened (never the text);
  // the parts of the page an event concerns are drawn again by the server,
  // which decides again what the reader may see. A list the reader is
  // reading does not move: a bar offers the news; replies of an open
  // thread come in at its end. EventSource reconnects by itself and
  // resumes after the last event it received.
  var streamURL = document.body.getAttribute('data-live-stream');
  if (streamURL && window.EventSource && window.fetch && window.DOMParser) {
    var said = document.getElementById('live-said');
    var navKinds = /^(notification\.|notifications\.|approval\.|signal\.|escalation\.|join\.)/;
    var waiting = {};
    var timer = null;
    var refresh = function (id, asked) {
      waiting[id] = waiting[id] || !!asked;
      if (timer) return;
      // Events come in bursts: one fetch for the burst.
      timer = setTimeout(function () {
        var ids = waiting;
        waiting = {};
        timer = null;
        fetch(location.href, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
          .then(function (r) { return r.ok ? r.text() : null; })
          .then(function (html) {
            if (!html) return;
            var doc = new DOMParser().parseFromString(html, 'text/html');
            Object.keys(ids).forEach(function (id) {
              var now = document.getElementById(id);
              var fresh = doc.getElementById(id);
              if (!now || !fresh) return;
              var focus = document.activeElement;
              if (!ids[id] && id !== 'site-menu' && focus && focus !== document.body && now.contains(focus)) {
                offer(now); // the reader is working in it: offer, do not move it
                return;
              }
              now.replaceWith(fresh);
              localDates(fresh);
              if (ids[id] && fresh.focus) { fresh.setAttribute('tabindex', '-1'); fresh.focus({ preventScroll: true }); }
              if (fresh.hasAttribute('data-live-said') && said) said.textContent = fresh.getAttribute('data-live-said');
            });
          })
          .catch(function () {});
      }, 150);
    };
    var offer = function (region) {
      if (region.querySelector('.live-bar')) return;
      var bar = document.createElement('button');
      bar.type = 'button';
      bar.className = 'live-bar';
      bar.textContent = region.getAttribute('data-live-show') || '↻';
      bar.addEventListener('click', function () { refresh(region.id, true); });
      var heading = region.querySelector('h1, h2');
      if (heading && heading.parentNode === region) heading.after(bar); else region.prepend(bar);
      if (said) said.textContent = bar.textContent;
    };
    var matches = function (region, e) {
      var kinds = (region.getAttribute('data-live') || '').split(' ');
      if (kinds.indexOf(e.kind) < 0) return false;
      var sp = region.getAttribute('data-live-space');
      if (sp && Number(sp) !== e.space_id) return false;
      var post = region.getAttribute('data-live-post');
      if (post && Number(post) !== e.post_id) return false;
      return true;
    };
    var es = new EventSource(streamURL);
    es.onmessage = function (m) {
      var e;
      try { e = JSON.parse(m.data); } catch (x) { return; }
      if (e.kind === 'stream.ended') { es.close(); return; }
      if (e.kind === 'stream.reset') {
        var note = document.createElement('p');
        note.className = 'notice live-reset';
        var a = document.createElement('a');
        a.href = location.href;
        a.textContent = document.body.getAttribute('data-live-reset');
        note.appendChild(a);
        document.getElementById('main').prepend(note);
        return;
      }
      if (navKinds.test(e.kind)) refresh('site-menu');
      document.querySelectorAll('[data-live]').forEach(function (region) {
        if (!region.id || !matches(region, e)) return;
        if (region.hasAttribute('data-live-auto')) refresh(region.id); else offer(region);
      });
    };
  }

  // The skip link focuses the main region.
  var skip = document.querySelector('.skip');
  var main = document.getElementById('main');
  if (skip && main) {
    skip.addEventListener('click', function () { main.focus(); });
  }
})();
