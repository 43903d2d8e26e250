/* twinbot chat widget. Embed with
 *   <script src="https://bot.example.org/widget.js" data-town="zywiec" defer></script>
 * Optional: data-lang="pl", data-color="#0b5cad", data-position="left".
 * No framework, no inline script or style, no request but to the bot, and
 * every text is inserted as text (textContent), never as HTML. The browser
 * keeps only an opaque session token (sessionStorage); the conversation
 * stays on the server. */
(function () {
  'use strict';
  var me = document.currentScript;
  if (!me || window.twinbotWidget) return;
  window.twinbotWidget = true;
  var base = new URL(me.src, location.href).origin;
  var ds = me.dataset;
  var KEY = 'twinbot:' + base;
  var mem = {};
  function load(k) { try { return sessionStorage.getItem(k); } catch (e) { return mem[k] || null; } }
  function save(k, v) {
    try { if (v == null) sessionStorage.removeItem(k); else sessionStorage.setItem(k, v); } catch (e) { mem[k] = v; }
  }
  var token = load(KEY);
  var ui = {};
  var queue = Promise.resolve();
  var poll = 0;
  var shown = false;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function sr(text) { return el('span', 'tb-sr', text); }

  var css = el('link');
  css.rel = 'stylesheet';
  css.href = base + '/widget.css';
  document.head.appendChild(css);

  var root = el('div', 'tb-root' + (ds.position === 'left' ? ' tb-left' : ''));
  root.setAttribute('data-twinbot', '');
  var color = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(ds.color || '') ? ds.color : '';
  if (color) {
    root.style.setProperty('--tb-c', color);
    root.style.setProperty('--tb-on', onColor(color));
  }
  var launch = el('button', 'tb-launch');
  launch.type = 'button';
  launch.setAttribute('aria-expanded', 'false');
  launch.setAttribute('aria-controls', 'tb-panel');
  launch.appendChild(icon());
  var launchText = el('span', 'tb-launch-text');
  launch.appendChild(launchText);

  var panel = el('section', 'tb-panel');
  panel.id = 'tb-panel';
  panel.hidden = true;
  panel.setAttribute('role', 'dialog');
  panel.setAttribute('aria-labelledby', 'tb-title');
  var head = el('div', 'tb-head');
  var title = el('h2', 'tb-title');
  title.id = 'tb-title';
  var langLabel = el('label', 'tb-lang');
  var langText = el('span');
  var langSel = el('select');
  langSel.id = 'tb-lang';
  langLabel.htmlFor = 'tb-lang';
  langLabel.appendChild(langText);
  langLabel.appendChild(langSel);
  var closeBtn = el('button', 'tb-close');
  closeBtn.type = 'button';
  var closeX = el('span', '', '\u00d7');
  closeX.setAttribute('aria-hidden', 'true');
  closeBtn.appendChild(closeX);
  var closeText = sr('');
  closeBtn.appendChild(closeText);
  head.appendChild(title);
  head.appendChild(langLabel);
  head.appendChild(closeBtn);

  var log = el('div', 'tb-log');
  log.setAttribute('role', 'log');
  log.setAttribute('aria-live', 'polite');
  log.tabIndex = 0;

  var form = el('form', 'tb-form');
  var inLabel = el('label', 'tb-sr');
  inLabel.htmlFor = 'tb-input';
  var input = el('input', 'tb-input');
  input.id = 'tb-input';
  input.type = 'text';
  input.autocomplete = 'off';
  var sendBtn = el('button', 'tb-send');
  sendBtn.type = 'submit';
  form.appendChild(inLabel);
  form.appendChild(input);
  form.appendChild(sendBtn);

  panel.appendChild(head);
  panel.appendChild(log);
  panel.appendChild(form);
  root.appendChild(launch);
  root.appendChild(panel);

  function icon() {
    var ns = 'http://www.w3.org/2000/svg';
    var s = document.createElementNS(ns, 'svg');
    s.setAttribute('viewBox', '0 0 24 24');
    s.setAttribute('aria-hidden', 'true');
    s.setAttribute('focusable', 'false');
    s.setAttribute('class', 'tb-icon');
    var p = document.createElementNS(ns, 'path');
    p.setAttribute('d', 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z');
    s.appendChild(p);
    return s;
  }

  // onColor is the text colour (white or near-black) with the better
  // contrast on the town's colour.
  function onColor(c) {
    var h = c.slice(1);
    if (h.length === 3) h = h[0] + h[0] + h[1] + h[1] + h[2] + h[2];
    var l = [0, 2, 4].map(function (i) {
      var v = parseInt(h.substr(i, 2), 16) / 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    var y = 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
    return (1.05 / (y + 0.05)) >= ((y + 0.05) / (0.0118 + 0.05)) ? '#ffffff' : '#111111';
  }

  function applyUI(u, lang, langs) {
    ui = u || ui;
    if (lang) root.lang = lang;
    launchText.textContent = ui.open || '';
    title.textContent = ui.title || '';
    langText.textContent = ui.lang || '';
    closeText.textContent = ui.close || '';
    log.setAttribute('aria-label', ui.log || '');
    inLabel.textContent = ui.input || '';
    input.placeholder = ui.input || '';
    sendBtn.textContent = ui.send || '';
    if (langs && langSel.options.length !== langs.length) {
      langSel.textContent = '';
      langs.forEach(function (l) {
        var o = el('option', '', l.name);
        o.value = l.code;
        o.lang = l.code;
        langSel.appendChild(o);
      });
    }
    if (lang) langSel.value = lang;
  }

  function safeURL(u) {
    try {
      var p = new URL(u);
      return /^(https?|mailto):$/.test(p.protocol) ? p.href : '';
    } catch (e) { return ''; }
  }
  function paras(parent, list, cls) {
    (list || []).forEach(function (t) { if (t) parent.appendChild(el('p', cls, t)); });
  }
  function items(parent, list) {
    if (!list || !list.length) return;
    var ul = el('ul');
    list.forEach(function (t) { ul.appendChild(el('li', '', t)); });
    parent.appendChild(ul);
  }
  function links(parent, list) {
    (list || []).forEach(function (k) {
      var p = el('p', 'tb-link');
      var href = safeURL(k.url);
      var text = k.title || k.url;
      if (href) {
        var a = el('a', '', text);
        a.href = href;
        a.target = '_blank';
        a.rel = 'noopener noreferrer';
        a.appendChild(sr(' ' + (ui.new_tab || '')));
        p.appendChild(a);
      } else {
        p.textContent = k.title && k.title !== k.url ? k.title + ': ' + k.url : k.url;
      }
      parent.appendChild(p);
    });
  }

  function addUser(text) {
    var m = el('div', 'tb-msg tb-user');
    m.appendChild(sr((ui.you || '') + ' '));
    m.appendChild(document.createTextNode(text));
    append(m);
  }

  function addReply(r) {
    var m = el('div', 'tb-msg tb-bot');
    if (r.lang) m.lang = r.lang;
    m.appendChild(sr((ui.bot || '') + ' '));
    if (r.title) {
      var t = el('p', 'tb-rtitle');
      t.appendChild(el('strong', '', r.title));
      m.appendChild(t);
    }
    paras(m, r.text);
    items(m, r.items);
    (r.cards || []).forEach(function (c) {
      var d = el('div', 'tb-card');
      var h = el('p', 'tb-rtitle');
      h.appendChild(el('strong', '', c.title));
      if (c.subtitle) h.appendChild(document.createTextNode(' \u2014 ' + c.subtitle));
      d.appendChild(h);
      (c.fields || []).forEach(function (f) {
        var p = el('p', 'tb-field');
        if (f.name) {
          p.appendChild(el('strong', '', f.name + ':'));
          p.appendChild(document.createTextNode(' '));
        }
        p.appendChild(document.createTextNode(f.value));
        d.appendChild(p);
      });
      paras(d, c.text);
      items(d, c.items);
      links(d, c.links);
      m.appendChild(d);
    });
    links(m, r.links);
    paras(m, r.notes, 'tb-note');
    if (r.choices && r.choices.length) {
      var g = el('div', 'tb-choices');
      g.setAttribute('role', 'group');
      r.choices.forEach(function (c) {
        var b = el('button', 'tb-choice', c.label);
        b.type = 'button';
        b.addEventListener('click', function () {
          addUser(c.label);
          send({ text: c.data, label: c.label });
        });
        g.appendChild(b);
      });
      m.appendChild(g);
    }
    append(m);
  }

  function append(m) {
    log.appendChild(m);
    log.scrollTop = Math.max(0, m.offsetTop - log.offsetTop - 8);
  }

  function notice(text) {
    var m = el('div', 'tb-msg tb-bot tb-error', text);
    append(m);
  }

  function langs() {
    var l = [ds.lang].concat(navigator.languages || [navigator.language]);
    return l.filter(Boolean).slice(0, 10);
  }

  // send posts one request; requests go one after another, in order.
  function send(body) {
    body.langs = langs();
    body.town = ds.town || '';
    queue = queue.then(function () {
      body.session = token || ''; // the token the previous answer brought
      log.setAttribute('aria-busy', 'true');
      return fetch(base + '/widget/chat', {
        method: 'POST',
        mode: 'cors',
        credentials: 'omit',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body)
      }).then(function (res) {
        return res.json();
      }).then(function (d) {
        if (d.session) {
          token = d.session;
          save(KEY, token);
        }
        applyUI(d.ui, d.lang, d.langs);
        if (d.history) {
          log.textContent = '';
          d.history.forEach(function (e) { if (e.reply) addReply(e.reply); else addUser(e.user); });
        }
        (d.replies || []).forEach(addReply);
        if (!shown) {
          shown = true;
          root.classList.add('tb-ready');
          if (load(KEY + ':open') === '1') open(false);
        }
      }).catch(function () {
        if (body.text) notice(ui.offline || 'Network error');
      }).then(function () {
        log.removeAttribute('aria-busy');
      });
    });
    return queue;
  }

  function open(focus) {
    panel.hidden = false;
    launch.hidden = true;
    launch.setAttribute('aria-expanded', 'true');
    save(KEY + ':open', '1');
    if (!log.firstChild) send({ hello: true });
    if (focus !== false) input.focus();
    clearInterval(poll);
    poll = setInterval(function () { if (token) send({}); }, 30000);
  }
  function close() {
    panel.hidden = true;
    launch.hidden = false;
    launch.setAttribute('aria-expanded', 'false');
    save(KEY + ':open', '0');
    clearInterval(poll);
    launch.focus();
  }

  launch.addEventListener('click', function () { open(true); });
  closeBtn.addEventListener('click', close);
  root.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && !panel.hidden) {
      e.preventDefault();
      close();
    }
  });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = '';
    addUser(text);
    send({ text: text });
  });
  langSel.addEventListener('change', function () {
    var o = langSel.options[langSel.selectedIndex];
    addUser(o.textContent);
    send({ text: '/lang ' + langSel.value, label: o.textContent });
  });

  function start() {
    document.body.appendChild(root);
    send({ history: !!token });
  }
  if (document.body) start(); else document.addEventListener('DOMContentLoaded', start);
})();
