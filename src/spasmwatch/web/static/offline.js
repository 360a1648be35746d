// The installable app in the page: registers the service worker, keeps the children the
// parent may log for (for the offline form), queues episodes logged without a connection
// in IndexedDB and sends each once when the server can be reached again (the same
// Idempotency-Key every time, so a repeat returns the first result), and shows what is
// not yet sent, or what the server refused and why. Words come from #queue's data-*
// attributes, in the page's language. A static file: the pages allow no inline script.
// Without a child on this phone (no account yet, or none added) the episode form cannot
// add episodes to a diary: the page says so before the form, and each form sent anyway is
// kept here as typed (a draft, every one), carried to the quick check on request, and
// brought back one at a time once a child is on this phone (the diary's pages say that
// some wait). One whose check's answer was kept in a diary is removed here: the page the
// answer was stored for names it, once.
"use strict";
(function () {
  var DB_NAME = "spasmwatch", QUEUE = "queue", META = "meta";

  function openDb() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = function () {
        var db = req.result;
        if (!db.objectStoreNames.contains(QUEUE)) db.createObjectStore(QUEUE, { keyPath: "key" });
        if (!db.objectStoreNames.contains(META)) db.createObjectStore(META);
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }
  function run(store, mode, action) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(store, mode);
        var req = action(tx.objectStore(store));
        tx.oncomplete = function () { resolve(req ? req.result : undefined); db.close(); };
        tx.onerror = function () { reject(tx.error); db.close(); };
      });
    });
  }
  var store = {
    all: function () { return run(QUEUE, "readonly", function (s) { return s.getAll(); }); },
    put: function (item) { return run(QUEUE, "readwrite", function (s) { return s.put(item); }); },
    remove: function (key) { return run(QUEUE, "readwrite", function (s) { return s.delete(key); }); },
    getMeta: function (name) { return run(META, "readonly", function (s) { return s.get(name); }); },
    setMeta: function (name, value) {
      return run(META, "readwrite", function (s) { return s.put(value, name); });
    },
    removeMeta: function (name) {
      return run(META, "readwrite", function (s) { return s.delete(name); });
    }
  };
  window.spasmwatchStore = store;

  function words(name) {
    var box = document.getElementById("queue");
    return (box && box.getAttribute("data-" + name)) || name;
  }
  // A time as a datetime-local field writes it (2026-12-07T21:00), said as the pages say
  // one, in the page's language: "Mon 07 Dec 2026, 21:00" ("lun 07 dic 2026, 21:00"), the
  // server's "EEE dd MMM y, HH:mm" (spasmwatch.i18n.format_when); as written where the
  // browser cannot name days and months.
  function pageWhen(text) {
    var m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})/.exec(text || "");
    if (!m) return (text || "").replace("T", " ");
    var day = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
    var lang = document.documentElement.lang || "en";
    try {
      var name = function (part) { return new Intl.DateTimeFormat(lang, part).format(day); };
      return name({ weekday: "short" }) + " " + m[3] + " " + name({ month: "short" }) + " " +
        m[1] + ", " + m[4] + ":" + m[5];
    } catch (error) {
      return text.replace("T", " ");
    }
  }
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  // ------------------------------------------------------------ service worker
  // One worker for every language (its URL never names one); each page tells it the
  // language the phone shows, whose public pages it then keeps for offline use, and when
  // the page was loaded: the worker follows the page loaded last, whichever message comes
  // last (this page's may come after the next page's, once the language was switched).
  if ("serviceWorker" in navigator) {
    var lang = document.documentElement.lang || "en";
    var loaded = (window.performance && performance.timeOrigin) || Date.now();
    navigator.serviceWorker.register("/sw.js", { scope: "/" })
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function (registration) {
        if (registration.active) {
          registration.active.postMessage({ language: lang, loaded: loaded });
        }
      })
      .catch(function () { /* no offline copy: the site works online as before */ });
  }

  // ------------------------------------------------------------ can the server be reached?
  // navigator.onLine says only whether the phone has a network, not whether this server is
  // on it (a phone on mobile data, a home server): ask the server itself (the service
  // worker never answers /api/).
  function reachable() {
    return fetch("/api/v1/offline/session", { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok; }, function () { return false; });
  }

  // ------------------------------------------------------------ who is signed in
  function session() {
    return fetch("/api/v1/offline/session", { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); });
  }
  function remember(info) {
    // The children are kept only while someone is signed in here; signing out forgets them.
    return store.setMeta("session", info.user ? { user: info.user, children: info.children } : null);
  }

  // ------------------------------------------------------------ the header of a kept page
  // The public pages the service worker keeps were fetched without cookies: their header
  // offers "Sign in" and "Sign up". Shown to a parent signed in on this phone (offline, or
  // with a server too slow to wait for), the header is the signed-in one, as the pages
  // drew it last in this language (its words kept here: no one's data is in them).
  var NAV = "nav";
  function headerNav() { return document.querySelector("header.top nav"); }
  function keepNav() {
    var nav = headerNav();
    var signout = nav && nav.querySelector("form[action='/signout'] button");
    if (!signout) return Promise.resolve();
    var lang = document.documentElement.lang || "en";
    var words = {
      label: nav.getAttribute("aria-label") || "",
      links: Array.prototype.map.call(nav.querySelectorAll(":scope > a"), function (a) {
        return { href: a.getAttribute("href"), text: a.textContent };
      }),
      signout: signout.textContent
    };
    return store.getMeta(NAV).then(function (kept) {
      var all = kept && typeof kept === "object" ? kept : {};
      all[lang] = words;
      return store.setMeta(NAV, all);
    });
  }
  // ``info``: the server's answer about who is signed in (null when it cannot be reached:
  // then what this phone kept, ``saved``, says it).
  function showSignedInNav(info, saved) {
    var nav = headerNav();
    if (!nav || !nav.querySelector("a[href='/signin']")) return Promise.resolve();
    var user = info ? info.user : saved && saved.user;
    if (!user) return Promise.resolve();
    var lang = document.documentElement.lang || "en";
    return store.getMeta(NAV).then(function (kept) {
      var words = kept && kept[lang];
      if (!words || !words.links || !words.links.length) return;
      nav.textContent = "";
      words.links.forEach(function (link) {
        var a = document.createElement("a");
        a.href = link.href;
        a.textContent = link.text;
        nav.appendChild(a);
        nav.appendChild(document.createTextNode(" "));
      });
      // Signing out needs the server and this session's token: offered only with both.
      if (info && info.csrf) {
        var form = document.createElement("form");
        form.method = "post";
        form.action = "/signout";
        form.className = "inline";
        var token = document.createElement("input");
        token.type = "hidden";
        token.name = "csrf_token";
        token.value = info.csrf;
        var button = document.createElement("button");
        button.className = "link";
        button.type = "submit";
        button.textContent = words.signout;
        form.appendChild(token);
        form.appendChild(button);
        nav.appendChild(form);
      }
    });
  }

  // ------------------------------------------------------------ the list of episodes kept here
  function render() {
    var box = document.getElementById("queue");
    if (!box) return Promise.resolve();
    return store.all().then(function (items) {
      var saved = document.getElementById("queue-saved");
      if (saved && !items.some(function (i) { return i.status === "waiting"; })) saved.remove();
      box.textContent = "";
      box.hidden = items.length === 0;
      if (!items.length) return;
      var h = document.createElement("h2");
      h.textContent = words("title");
      box.appendChild(h);
      var waiting = items.some(function (i) { return i.status === "waiting"; });
      if (waiting) {
        var note = document.createElement("p");
        note.className = "small";
        note.textContent = words("waiting");
        box.appendChild(note);
      }
      var list = document.createElement("ul");
      items.sort(function (a, b) { return a.created - b.created; }).forEach(function (item) {
        var li = document.createElement("li");
        li.className = "queued " + (item.status === "refused" ? "refused" : "unsent");
        li.setAttribute("data-key", item.key);
        var mark = document.createElement("span");
        mark.className = "badge unsent-mark";
        mark.textContent = item.status === "refused" ? words("refused") : words("unsent");
        li.appendChild(mark);
        var what = document.createElement("span");
        what.textContent = " " + item.childName + (item.startedAt ? ", " + pageWhen(item.startedAt) : "") + ". ";
        li.appendChild(what);
        if (item.message) {
          var why = document.createElement("span");
          why.className = item.status === "refused" ? "error" : "muted";
          why.textContent = item.message;
          li.appendChild(why);
        }
        if (item.status === "refused") {
          var remove = document.createElement("button");
          remove.type = "button";
          remove.className = "link";
          remove.textContent = words("remove");
          remove.addEventListener("click", function () { store.remove(item.key).then(render); });
          li.appendChild(document.createTextNode(" "));
          li.appendChild(remove);
        }
        list.appendChild(li);
      });
      box.appendChild(list);
    });
  }

  // ------------------------------------------------------------ sending, once each
  var sending = null;
  function explain(body) {
    if (!body) return "";
    if (typeof body.detail === "string") return body.detail;
    if (body.detail && typeof body.detail === "object") {
      return Object.keys(body.detail).map(function (k) { return body.detail[k]; }).join(" ");
    }
    return "";
  }
  function sendOne(item, info) {
    if (!info.user) return store.put(Object.assign(item, { message: words("signin") }));
    if (info.user !== item.user) return store.put(Object.assign(item, { message: words("other-user") }));
    return fetch("/api/v1/children/" + item.childId + "/episodes/form", {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRF-Token": info.csrf, "Idempotency-Key": item.key },
      body: withPhoneTime(item.fields)
    }).then(function (response) {
      if (response.ok) return store.remove(item.key);
      if (response.status >= 500) return null;  // try again later, with the same key
      if (response.status === 401) {  // signed out meanwhile: waits for the next sign-in
        return store.put(Object.assign(item, { message: words("signin") }));
      }
      return response.json().catch(function () { return {}; }).then(function (body) {
        var message = explain(body) || String(response.status);
        return store.put(Object.assign(item, { status: "refused", message: message }));
      });
    });
  }
  // The fields with the phone's time as it sends them: a start is "in the future" by the
  // family's clock, and an episode may wait on the phone for days.
  function withPhoneTime(fields) {
    var body = new URLSearchParams(fields);
    body.set("phone_now", localNow(true));
    return body;
  }
  // An episode kept while a round is sending (it read the list before this one was
  // there) is sent by one more round, as soon as that one ends: never left waiting.
  var again = false;
  function sendAll() {
    if (sending) {
      again = true;
      return sending;
    }
    again = false;
    var work = function () {
      return store.all().then(function (items) {
        // In the order they were logged.
        var waiting = items.filter(function (i) { return i.status === "waiting"; })
          .sort(function (a, b) { return a.created - b.created; });
        if (!waiting.length) return null;
        return session().then(function (info) {
          return waiting.reduce(function (done, item) {
            return done.then(function () { return sendOne(item, info); });
          }, Promise.resolve());
        });
      });
    };
    // One sender at a time across this browser's tabs (each key is safe to repeat anyway).
    var locked = navigator.locks ? navigator.locks.request("spasmwatch-send", work) : work();
    sending = locked.catch(function () { /* unreachable: the items wait */ })
      .then(render).then(function () {
        sending = null;
        if (again) return sendAll();
      });
    return sending;
  }
  window.spasmwatchSend = sendAll;

  // ------------------------------------------------------------ forms
  function fieldsOf(form) {
    var fields = [];
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string" && name !== "csrf_token" && name !== "child") fields.push([name, value]);
    });
    return fields;
  }
  function localNow(seconds) { return stamp(new Date(), seconds); }
  // ``d`` as a datetime-local field writes it (2024-05-01T10:00), in the phone's time.
  function stamp(d, seconds) {
    var p = function (n) { return String(n).padStart(2, "0"); };
    return d.getFullYear() + "-" + p(d.getMonth() + 1) + "-" + p(d.getDate()) + "T" +
      p(d.getHours()) + ":" + p(d.getMinutes()) + (seconds ? ":" + p(d.getSeconds()) : "");
  }
  function queue(form, childId, childName, user) {
    var fields = fieldsOf(form);
    var started = fields.filter(function (f) { return f[0] === "started_at"; })[0];
    var item = {
      key: newKey(), childId: childId, childName: childName, user: user, fields: fields,
      startedAt: started ? started[1] : "", created: Date.now(), status: "waiting", message: ""
    };
    return store.put(item).then(function () {
      form.reset();
      var when = form.querySelector("[name=started_at]");
      if (when) when.value = localNow();
      var note = document.getElementById("queue-saved");
      if (!note) {
        note = document.createElement("p");
        note.id = "queue-saved";
        note.className = "notice";
        note.setAttribute("role", "status");
        form.parentNode.insertBefore(note, form);
      }
      note.textContent = words("saved");
      return render();
    }).then(function () {
      window.scrollTo(0, 0);
      sendAll();
    });
  }
  // A link's numbers ("4.0") as the page writes them ("4"; "0,4" in Spanish), without a
  // thousands separator, which the form would read as a decimal sign; the length
  // happening-now mode measured (episode_seconds) in the form's minutes field as
  // measured ("26 s", or "5" for whole minutes): as the server's form does
  // (web.forms.prefill).
  var NUMBERS = ["episode_minutes", "count", "interval_seconds", "movement_seconds"];
  function typed(value) {
    var lang = document.documentElement.lang || "en";
    return value.toLocaleString(lang, { maximumFractionDigits: 3, useGrouping: false });
  }
  function linkNumber(raw) {
    var value = raw === null || raw.trim() === "" ? NaN : Number(raw);
    return isFinite(value) && value > 0 ? value : null;
  }
  function prefill(form) {
    var params = new URLSearchParams(location.search);
    params.forEach(function (value, name) {
      // a name may come more than once (movements=...&movements=...): each is ticked
      var all = params.getAll(name);
      var number = NUMBERS.indexOf(name) !== -1 ? linkNumber(value) : null;
      form.querySelectorAll("[name='" + name.replace(/[^a-z_]/g, "") + "']").forEach(function (el) {
        if (el.type === "checkbox" || el.type === "radio") el.checked = all.indexOf(el.value) !== -1;
        else el.value = number === null ? value : typed(number);
      });
    });
    var seconds = linkNumber(params.get("episode_seconds"));
    var length = form.querySelector("[name=episode_minutes]");
    if (seconds !== null && length) {
      var whole = Math.max(1, Math.round(seconds));
      length.value = whole % 60 === 0 ? typed(whole / 60) : typed(whole) + " s";
      var details = length.closest("details");
      if (details) details.open = true;  // for the parent to see what is sent
    }
    var when = form.querySelector("[name=started_at]");
    if (when && !when.value) when.value = localNow();
  }
  // ------------------------------------------------------------ what was typed without a child
  // Every form sent without a child on this phone is kept (a draft), in META under DRAFTS,
  // oldest first: [{ key, fields: [[name, value], ...], created: ms, checked: bool }]
  // ("checked": taken to the quick check, whose answer may have been kept at sign-up; it is
  // then in the diary already, so the form never fills in with it unasked). An earlier
  // version of this page kept a single draft under OLD_DRAFT: it joins the list.
  var DRAFTS = "drafts", OLD_DRAFT = "draft";
  function drafts() {
    return store.getMeta(DRAFTS).then(function (list) {
      list = Array.isArray(list) ? list : [];
      return store.getMeta(OLD_DRAFT).then(function (old) {
        if (!old || !old.fields || !old.fields.length) return list;
        list.unshift(Object.assign({ key: newKey() }, old));
        return store.setMeta(DRAFTS, list)
          .then(function () { return store.removeMeta(OLD_DRAFT); })
          .then(function () { return list; });
      });
    });
  }
  // Keep the list ``change`` makes of the kept one.
  function changeDrafts(change) {
    return drafts().then(function (list) {
      var next = change(list);
      return (next.length ? store.setMeta(DRAFTS, next) : store.removeMeta(DRAFTS))
        .then(function () { return next; });
    });
  }
  function dropDraft(key) {
    return changeDrafts(function (list) {
      return list.filter(function (d) { return d.key !== key; });
    });
  }
  // An element's count message for ``n``: data-one for 1, data-other for more ("%(n)s" the
  // number): [design] the plural forms of English and Spanish below a million.
  function counted(el, n) {
    return (el.getAttribute(n === 1 ? "data-one" : "data-other") || "").replace("%(n)s", String(n));
  }
  // When a draft's episode started, as typed (else when it was kept), for the parent to
  // tell one from another.
  function whenOf(draft) {
    var started = draft.fields.filter(function (f) { return f[0] === "started_at"; })[0];
    return pageWhen(started && started[1] ? started[1] : stamp(new Date(draft.created)));
  }
  // The fields a draft keeps: what the parent typed, not the phone's clock as it was sent.
  function draftFields(form) {
    return fieldsOf(form).filter(function (f) { return f[0] !== "phone_now"; });
  }
  // Fill ``form`` with a draft's fields (a name may come more than once: each box is
  // ticked); a section folded away is opened where it holds an answer, for the parent to
  // see all that is filled in.
  function fill(form, fields) {
    var values = {};
    fields.forEach(function (f) { (values[f[0]] = values[f[0]] || []).push(f[1]); });
    Object.keys(values).forEach(function (name) {
      form.querySelectorAll("[name='" + name.replace(/[^a-z_]/g, "") + "']").forEach(function (el) {
        if (el.type === "checkbox" || el.type === "radio") el.checked = values[name].indexOf(el.value) !== -1;
        else if (el.type !== "hidden" && el.type !== "file") el.value = values[name][0];
      });
    });
    form.querySelectorAll("details").forEach(function (details) {
      var answered = Array.prototype.some.call(details.querySelectorAll("input, textarea"), function (el) {
        if (el.type === "checkbox" || el.type === "radio") return el.checked !== el.defaultChecked;
        return el.type !== "hidden" && el.value.trim() !== "";
      });
      if (answered) details.open = true;
    });
  }
  function emptied(form) {
    form.reset();
    var when = form.querySelector("[name=started_at]");
    if (when) when.value = localNow();
  }
  function shown(id, yes) {
    var el = document.getElementById(id);
    if (el) el.hidden = !yes;
    return el;
  }
  // Who the form speaks to, from what this phone keeps: no account, an account without a
  // child, or a parent with one (the server said it from the cookies it saw; the kept copy
  // of this page was fetched without any). Without a child the button keeps the episode
  // on this phone; with one it saves it (for the diary).
  function sayWhoLogs(saved) {
    var ready = !!(saved && saved.children && saved.children.length);
    var account = !!(saved && saved.user);
    shown("no-child-here", !ready);
    shown("log-no-account", !ready && !account);
    shown("log-no-child", !ready && account);
    shown("log-offline-note", ready);
    shown("child-field", ready);
    var button = document.getElementById("log-submit");
    if (button) button.textContent = button.getAttribute(ready ? "data-save" : "data-keep");
    return ready;
  }
  // No child on this phone: the drafts kept, each with the way to the quick check and to
  // discard it.
  function showKept() {
    var box = document.getElementById("log-kept");
    var item = document.getElementById("log-kept-item");
    if (!box || !item) return Promise.resolve();
    return drafts().then(function (list) {
      box.hidden = !list.length;
      document.getElementById("log-kept-count").textContent = counted(box, list.length);
      var ul = document.getElementById("log-kept-list");
      ul.textContent = "";
      list.forEach(function (draft) {
        var li = item.content.firstElementChild.cloneNode(true);
        li.setAttribute("data-key", draft.key);
        li.querySelector(".log-kept-when").textContent = whenOf(draft) + ":";
        li.querySelector(".log-to-check").href = "/check?from=log&draft=" + encodeURIComponent(draft.key);
        li.querySelector(".log-kept-discard").addEventListener("click", function () {
          dropDraft(draft.key).then(showKept);
        });
        ul.appendChild(li);
      });
    });
  }
  function keepDraft(form) {
    var draft = { key: newKey(), fields: draftFields(form), created: Date.now(), checked: false };
    return changeDrafts(function (list) { return list.concat([draft]); }).then(function () {
      emptied(form);  // ready for the next one; this one is in the list
      return showKept();
    }).then(function () {
      window.scrollTo(0, 0);
      var kept = document.getElementById("log-kept");
      if (kept) kept.focus({ preventScroll: true });
    });
  }
  // A child on this phone: the drafts come back one at a time, oldest first, each saved
  // with the form or discarded. One never taken to the quick check fills the form in (the
  // notice says so); one taken there, or one met while a link's values fill the form,
  // waits for "Fill in the form with it".
  function setUpDrafts(form, linked) {
    var box = document.getElementById("log-restored");
    var current = null, filled = null;
    if (!box) return null;
    function fillWith(draft) {
      fill(form, draft.fields);
      filled = draft;
      shown("log-restored-filled", true);
      shown("log-fill", false);
    }
    function next(auto) {
      shown("log-restored-filled", false);
      shown("log-fill", false);
      return drafts().then(function (list) {
        current = list[0] || null;
        box.hidden = !current;
        if (!current) return;
        document.getElementById("log-restored-count").textContent = counted(box, list.length);
        document.getElementById("log-restored-when").textContent =
          (box.getAttribute("data-when") || "%(when)s").replace("%(when)s", whenOf(current));
        shown("log-restored-checked", !!current.checked);
        if (auto && !current.checked) fillWith(current);
        else shown("log-fill", true);
      });
    }
    document.getElementById("log-fill").addEventListener("click", function () {
      if (current) fillWith(current);
    });
    document.getElementById("log-discard").addEventListener("click", function () {
      if (!current) return;
      var gone = current;
      dropDraft(gone.key).then(function () {
        if (filled && filled.key === gone.key) {
          filled = null;
          emptied(form);
        }
        return next(true);
      });
    });
    return {
      ready: next(!linked),
      // the draft the form holds as it is sent (it goes with it), or null
      sending: function () { return filled; },
      sent: function (draft) {
        if (filled && filled.key === draft.key) filled = null;
        return dropDraft(draft.key).then(function () { return next(true); });
      }
    };
  }
  function setUpCheckFromLog() {
    // The quick check opened from the episode form (?from=log&draft=key): filled in with
    // that draft (without a key, the one kept last), for the parent to add the baby's age
    // and see the advice.
    var form = document.querySelector("form[action='/check']");
    var query = new URLSearchParams(location.search);
    if (!form || query.get("from") !== "log") return Promise.resolve();
    var key = query.get("draft");
    return drafts().then(function (list) {
      var draft = key ? list.filter(function (d) { return d.key === key; })[0] : list[list.length - 1];
      if (!draft || !draft.fields || !draft.fields.length) return null;
      fill(form, draft.fields);
      // the draft's key goes with the check, to its answer and to where that is kept
      var field = form.querySelector("[name=draft]");
      if (field) field.value = draft.key;
      shown("check-from-log", true);
      return changeDrafts(function (kept) {
        return kept.map(function (d) { return d.key === draft.key ? Object.assign(d, { checked: true }) : d; });
      });
    });
  }
  // The page after a check's answer taken from a draft was kept in a diary (at sign-up,
  // or from the answer) names that draft, once (data-kept-draft): it is in the diary, and
  // would be saved a second time from here; it is removed.
  function forgetKeptDraft() {
    var note = document.querySelector("[data-kept-draft]");
    if (!note) return Promise.resolve();
    var key = note.getAttribute("data-kept-draft");
    note.removeAttribute("data-kept-draft");
    return dropDraft(key);
  }
  // A page of the diary (the children, a child): drafts wait on this phone, which the
  // server cannot know: the page's notice says how many, with the way to the form.
  function sayDraftsWaiting() {
    var note = document.getElementById("drafts-waiting");
    if (!note) return Promise.resolve();
    return drafts().then(function (list) {
      if (!list.length) return;
      note.querySelector("a").textContent = counted(note, list.length);
      note.hidden = false;
    });
  }

  function setUpLogForm(saved) {
    var form = document.getElementById("log-form");
    if (!form) return Promise.resolve();
    var select = document.getElementById("child");
    var children = (saved && saved.children) || [];
    var ready = sayWhoLogs(saved);
    var wanted = (location.pathname.match(/^\/children\/(\d+)\//) || [])[1] ||
      new URLSearchParams(location.search).get("child");
    select.textContent = "";
    children.forEach(function (child) {
      var option = document.createElement("option");
      option.value = String(child.id);
      option.textContent = child.name;
      if (String(child.id) === wanted) option.selected = true;
      select.appendChild(option);
    });
    prefill(form);
    // A link's values (happening-now mode, a child's page) come first: a draft waits.
    var query = new URLSearchParams(location.search);
    query.delete("child");
    var waiting = ready ? setUpDrafts(form, !!query.toString()) : null;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!ready) {
        // no child on this phone: what was typed is kept here, never dropped
        keepDraft(form);
        return;
      }
      var option = select.options[select.selectedIndex];
      if (!option) {
        alert(words("no-child"));
        return;
      }
      var draft = waiting && waiting.sending();
      queue(form, Number(option.value), option.textContent, saved.user).then(function () {
        if (draft) return waiting.sent(draft);
      });
    });
    return waiting ? waiting.ready : showKept();
  }
  function setUpDiaryForm(saved) {
    // The diary's own form, when it is open and the connection goes: kept here instead.
    var form = document.querySelector("form[data-episode-child]");
    if (!form) return;
    form.addEventListener("submit", function (event) {
      if (!saved || form.getAttribute("data-checked") === "yes") return;
      event.preventDefault();
      reachable().then(function (yes) {
        if (yes) {
          form.setAttribute("data-checked", "yes");
          form.requestSubmit ? form.requestSubmit() : form.submit();
          return;
        }
        queue(form, Number(form.getAttribute("data-episode-child")),
          form.getAttribute("data-episode-child-name"), saved.user);
      });
    });
  }
  function setUpCheck() {
    // The check's answer needs the server: offline, say so instead of a browser error.
    var form = document.querySelector("form[action='/check']");
    if (!form) return;
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-checked") === "yes") return;
      event.preventDefault();
      reachable().then(function (yes) {
        if (yes) {
          form.setAttribute("data-checked", "yes");
          form.requestSubmit ? form.requestSubmit() : form.submit();
        } else {
          say();
        }
      });
    });
    function say() {
      var note = document.getElementById("check-offline");
      if (!note) {
        note = document.createElement("p");
        note.id = "check-offline";
        note.className = "notice";
        note.setAttribute("role", "alert");
        form.parentNode.insertBefore(note, form);
      }
      note.textContent = words("check-offline");
      note.scrollIntoView({ block: "center" });
    }
  }
  function setUpNow(saved) {
    // Happening-now mode kept for offline use has no children in it: add the parent's.
    var done = document.getElementById("now-done");
    if (!done || !saved || !saved.children) return;
    if (done.querySelector(".now-confirm[data-base^='/children/']")) return;
    var anchor = done.querySelector(".now-confirm");
    saved.children.slice().reverse().forEach(function (child) {
      var p = document.createElement("p");
      var a = document.createElement("a");
      a.className = "button primary now-confirm";
      a.setAttribute("data-base", "/children/" + child.id + "/episodes/new");
      a.href = "/children/" + child.id + "/episodes/new";
      a.textContent = words("log-for").replace("%(name)s", child.name);
      p.appendChild(a);
      if (anchor) anchor.parentNode.parentNode.insertBefore(p, anchor.parentNode);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var live = null;
    var ready = session()
      .then(function (info) { live = info; return remember(info).then(function () { return info; }); })
      .catch(function () { return null; });  // server out of reach: what is kept is used
    ready.then(function () { return store.getMeta("session"); }).then(function (saved) {
      keepNav().then(function () { return showSignedInNav(live, saved); }).catch(function () {
        /* no storage on this phone: the header stays as the page came */
      });
      setUpDiaryForm(saved);
      setUpNow(saved);
      setUpCheck();
      var waiting = forgetKeptDraft().then(sayDraftsWaiting);
      return Promise.all([setUpLogForm(saved), setUpCheckFromLog(), waiting]).catch(function () {
        /* no storage on this phone: the forms work as the server drew them */
      });
    }).then(function () {
      return render();
    }).then(sendAll);
    window.addEventListener("online", sendAll);
    // The server may come back without the phone's network changing: try again now and then
    // while something waits.
    setInterval(function () {
      store.all().then(function (items) {
        if (items.some(function (i) { return i.status === "waiting"; })) sendAll();
      });
    }, 30000);
  });
})();
