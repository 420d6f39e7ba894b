/* The live thread page: websocket client of the protocol in DESIGN.md.
 *
 * Progressive enhancement of the server-rendered page (which works without this file):
 * new messages appear live; the connection reconnects with backoff and sends `resume` with
 * the last id seen; unsent posts wait in an outbox in localStorage, each with its client_id,
 * and are resent after a drop or a reload without duplicates (the server acks a client_id it
 * already stored with the stored id); who is typing and how many are online are shown; new
 * messages are announced in an aria-live region. No inline script: everything comes from
 * data-attributes on #thread.
 *
 * Messages are never built here: every frame that carries one carries its fragment, rendered
 * by the server from the template of the page (hubs/threads/_message.html) in the variant of
 * our role and the page's language. It is inserted or replaced as it is; `fit` then switches
 * on the controls that depend on who we are (the author's edit and delete, the asker's
 * "mark as the answer", by comparing ids), follows the thread's state (accepted answer,
 * locked) and gives its forms the page's CSRF token: the same rules the template applies
 * on the page (docs/threads.md, "One message renderer").
 */
(function () {
  "use strict";

  // The read mark: the server page is a GET that writes nothing, so the page tells the
  // server once what it showed (every page of the thread, live or not).
  var page = document.getElementById("thread");
  if (page && page.dataset.readUrl && parseInt(page.dataset.readLast, 10) > 0 && window.fetch) {
    var mark = new FormData();
    mark.append("last", page.dataset.readLast);
    mark.append("csrfmiddlewaretoken", page.dataset.csrfToken || "");
    fetch(page.dataset.readUrl, { method: "POST", body: mark, credentials: "same-origin", keepalive: true }).catch(function () {});
  }
})();

(function () {
  "use strict";

  var root = document.getElementById("thread");
  if (!root || !("WebSocket" in window) || !window.JSON) return;
  var data = root.dataset;
  if (data.live !== "true") return; // an earlier page of a long thread stays static

  var userId = parseInt(data.userId, 10);
  var isModerator = data.moderator === "true";
  var isParticipant = data.participant === "true";
  var canResolve = isModerator || data.canResolve === "true";
  var locked = data.locked === "true";
  var acceptedId = parseInt(data.acceptedAnswer, 10) || 0;
  var list = root.querySelector("[data-messages]");
  var form = root.querySelector("[data-reply-form]");
  var textarea = form ? form.querySelector("textarea") : null;
  var outboxList = root.querySelector("[data-outbox]");
  var stateEl = root.querySelector("[data-connection-state]");
  var presenceEl = root.querySelector("[data-presence]");
  var typingEl = root.querySelector("[data-typing]");
  var announcer = root.querySelector("[data-announcer]");
  var emptyNote = root.querySelector("[data-empty]");

  // Every message up to lastId has been received. While catching up after (re)connecting,
  // live messages may overtake the missed ones, so only `resumed` moves it then.
  var lastId = parseInt(data.lastId, 10) || 0;
  var catchingUp = false;
  var storageKey = "cc.thread-outbox." + data.userId + "." + data.threadId;
  var outbox = loadOutbox();
  var socket = null;
  var attempts = 0;
  var reconnectTimer = null;
  var retryTimer = null;
  var lastTypingSent = 0;
  var typingPeople = {};
  var closedForGood = false;

  function label(name, values) {
    var text = data["label" + name] || "";
    Object.keys(values || {}).forEach(function (key) {
      text = text.replace("%(" + key + ")s", values[key]);
    });
    return text;
  }

  function newClientId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  // Outbox ------------------------------------------------------------------------------

  function loadOutbox() {
    try {
      var stored = JSON.parse(window.localStorage.getItem(storageKey) || "[]");
      return Array.isArray(stored) ? stored.filter(function (item) { return item && item.client_id && typeof item.body === "string"; }) : [];
    } catch (error) {
      return [];
    }
  }

  function saveOutbox() {
    try {
      if (outbox.length) window.localStorage.setItem(storageKey, JSON.stringify(outbox));
      else window.localStorage.removeItem(storageKey);
    } catch (error) { /* private mode or full: the outbox still lives in memory */ }
    renderOutbox();
  }

  function removeFromOutbox(clientId) {
    if (!clientId) return;
    var before = outbox.length;
    outbox = outbox.filter(function (item) { return item.client_id !== clientId; });
    if (outbox.length !== before) saveOutbox();
  }

  function renderOutbox() {
    if (!outboxList) return;
    outboxList.textContent = "";
    outbox.forEach(function (item) {
      var li = document.createElement("li");
      var text = document.createElement("span");
      text.dir = "auto";
      text.textContent = (item.failed ? label("Failed") + " " + item.failed + " — " : label("Pending") + ": ") + item.body.slice(0, 200);
      li.appendChild(text);
      if (item.failed) {
        li.className = "is-failed";
        var discard = document.createElement("button");
        discard.type = "button";
        discard.className = "link-button";
        discard.textContent = label("Discard");
        discard.addEventListener("click", function () { removeFromOutbox(item.client_id); });
        li.appendChild(document.createTextNode(" "));
        li.appendChild(discard);
      }
      outboxList.appendChild(li);
    });
  }

  function flushOutbox() {
    outbox.forEach(function (item) {
      if (!item.failed) send({ type: "post", client_id: item.client_id, body: item.body });
    });
  }

  // The same idempotent endpoint as the form, for when websockets cannot get through.
  function postOverHttp() {
    var token = form ? form.querySelector("[name=csrfmiddlewaretoken]") : null;
    if (!token) return;
    var pending = outbox.filter(function (item) { return !item.failed; });
    var chain = Promise.resolve();
    pending.forEach(function (item) {
      chain = chain.then(function () {
        var body = new FormData();
        body.append("csrfmiddlewaretoken", token.value);
        body.append("client_id", item.client_id);
        body.append("body", item.body);
        return fetch(data.postUrl, { method: "POST", body: body, credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) {
            return response.json().then(function (json) {
              if (response.ok) removeFromOutbox(item.client_id);
              else if (json.code !== "rate_limited") markFailed(item.client_id, typeof json.detail === "string" ? json.detail : json.code);
            });
          });
      });
    });
    chain.then(function () { if (pending.length && !outbox.length) window.location.reload(); }).catch(function () {});
  }

  function markFailed(clientId, detail) {
    outbox.forEach(function (item) { if (item.client_id === clientId) item.failed = detail || "error"; });
    saveOutbox();
  }

  // Connection --------------------------------------------------------------------------

  function setState(state) {
    if (!stateEl) return;
    stateEl.hidden = false;
    stateEl.setAttribute("data-state", state);
    stateEl.textContent = label(state.charAt(0).toUpperCase() + state.slice(1));
  }

  function send(frame) {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(frame));
      return true;
    }
    return false;
  }

  function connect() {
    reconnectTimer = null;
    setState("connecting");
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    // Fragments come in the page's language.
    var lang = document.documentElement.lang;
    var ws = new WebSocket(scheme + window.location.host + data.wsPath + (lang ? "?lang=" + encodeURIComponent(lang) : ""));
    socket = ws;
    ws.addEventListener("open", function () {
      if (socket !== ws) { ws.close(); return; }
      attempts = 0;
      setState("connected");
      catchingUp = true;
      send({ type: "resume", after: lastId });
    });
    ws.addEventListener("message", function (event) {
      if (socket !== ws) return; // a socket we gave up on: the new one resumes
      var frame;
      try { frame = JSON.parse(event.data); } catch (error) { return; }
      if (frame && typeof frame.type === "string") handle(frame);
    });
    ws.addEventListener("close", function (event) {
      if (socket !== ws) return; // given up on already, and replaced or being replaced
      socket = null;
      if (event.code === 4401 || event.code === 4403) {
        closedForGood = true;
        setState("closed");
        if (form) form.hidden = true;
        return;
      }
      setState("offline");
      scheduleReconnect();
    });
  }

  function scheduleReconnect() {
    if (reconnectTimer || closedForGood) return;
    attempts += 1;
    // Exponential backoff with jitter: 1 s, 2 s, 4 s ... at most 30 s.
    var delay = Math.min(30000, 1000 * Math.pow(2, attempts - 1)) * (0.5 + Math.random() / 2);
    reconnectTimer = window.setTimeout(connect, delay);
    if (attempts >= 4 && navigator.onLine !== false && outbox.length) postOverHttp();
  }

  // Back online: try at once, with the backoff starting again from 1 s if that fails. A
  // socket that is not open now (closing since we went offline, or still connecting through
  // the network we lost) is given up: its late events are ignored, and the new socket
  // resumes from lastId, so nothing is missed and the list keeps each message once (by id).
  window.addEventListener("online", function () {
    if (closedForGood) return;
    if (socket && socket.readyState === WebSocket.OPEN) return;
    window.clearTimeout(reconnectTimer);
    reconnectTimer = null;
    attempts = 0;
    abandon();
    connect();
  });

  // Phones often keep a dead socket open when the network goes: drop it at once, so new
  // posts wait in the outbox and the state shows offline. The reconnection waits for
  // `online` (or the backoff, should that event never come).
  window.addEventListener("offline", function () {
    if (!socket) return;
    abandon();
    setState("offline");
    scheduleReconnect();
  });

  function abandon() {
    var ws = socket;
    socket = null;
    if (ws && ws.readyState !== WebSocket.CLOSED) {
      try { ws.close(); } catch (error) { /* already closing */ }
    }
  }

  // Frames from the server --------------------------------------------------------------

  function handle(frame) {
    switch (frame.type) {
      case "message": {
        var isNew = !document.getElementById("message-" + frame.message.id);
        upsert(frame.message.id, frame.message.fragment);
        removeFromOutbox(frame.message.client_id && frame.message.author && frame.message.author.id === userId ? frame.message.client_id : null);
        if (!catchingUp && frame.message.id > lastId) lastId = frame.message.id;
        if (isNew && frame.message.author && frame.message.author.id !== userId) {
          announce(label("NewMessage", { name: frame.message.author.name || label("FormerMember") }));
        }
        break;
      }
      case "ack":
        removeFromOutbox(frame.client_id);
        break;
      case "resumed":
        if (frame.last_id > lastId) lastId = frame.last_id;
        if (frame.more) send({ type: "resume", after: lastId });
        else { catchingUp = false; flushOutbox(); }
        break;
      case "edited":
        if (document.getElementById("message-" + frame.message.id)) upsert(frame.message.id, frame.message.fragment);
        break;
      case "hidden":
        if (frame.message) upsert(frame.message.id, frame.message.fragment);
        else removeMessage(frame.id);
        break;
      case "deleted":
        if (document.getElementById("message-" + frame.id)) upsert(frame.id, frame.fragment);
        break;
      case "typing":
        showTyping(frame.user);
        break;
      case "presence":
        if (presenceEl) {
          presenceEl.hidden = false;
          presenceEl.textContent = label("Online", { count: frame.online });
        }
        break;
      case "thread":
        locked = !!frame.locked;
        acceptedId = frame.accepted_answer || 0;
        Array.prototype.forEach.call(list.querySelectorAll("[data-id]"), fit);
        if (frame.locked && form) {
          form.hidden = true;
        } else if (form && !closedForGood) {
          form.hidden = false;
        }
        break;
      case "error":
        if (frame.client_id) {
          if (frame.code === "rate_limited") {
            window.clearTimeout(retryTimer);
            retryTimer = window.setTimeout(flushOutbox, 5000);
          } else {
            markFailed(frame.client_id, frame.detail);
          }
        } else if (stateEl) {
          stateEl.hidden = false;
          stateEl.textContent = frame.detail;
        }
        break;
      default:
        break;
    }
  }

  function announce(text) {
    if (!announcer) return;
    var p = document.createElement("p");
    p.textContent = text;
    announcer.appendChild(p);
    while (announcer.childNodes.length > 5) announcer.removeChild(announcer.firstChild);
  }

  function showTyping(user) {
    if (!typingEl || !user) return;
    var key = String(user.id);
    window.clearTimeout(typingPeople[key] && typingPeople[key].timer);
    typingPeople[key] = {
      name: user.name,
      timer: window.setTimeout(function () { delete typingPeople[key]; renderTyping(); }, 5000),
    };
    renderTyping();
  }

  function renderTyping() {
    typingEl.textContent = Object.keys(typingPeople).map(function (key) {
      return label("Typing", { name: typingPeople[key].name });
    }).join(" ");
  }

  function removeMessage(id) {
    var element = document.getElementById("message-" + id);
    if (element) element.remove();
  }

  function each(element, selector, apply) {
    Array.prototype.forEach.call(element.querySelectorAll(selector), apply);
  }

  // A message element as the template renders it for us (see the comment at the top).
  function fit(li) {
    var own = !!userId && li.getAttribute("data-author-id") === String(userId);
    var accepted = acceptedId && parseInt(li.getAttribute("data-id"), 10) === acceptedId && !li.classList.contains("is-deleted");
    li.classList.toggle("is-accepted", !!accepted);
    each(li, "[data-accepted-tag]", function (el) { el.hidden = !accepted; });
    each(li, '[data-show-for="author"]', function (el) { el.hidden = !own; });
    each(li, '[data-show-for="reporter"]', function (el) { el.hidden = own || !isParticipant; });
    each(li, '[data-show-for="resolver"]', function (el) { el.hidden = !canResolve || !!accepted; });
    each(li, "[data-edit-link]", function (el) { el.hidden = locked; });
    each(li, 'form[method="post"]', function (f) {
      if (data.csrfToken && !f.querySelector("[name=csrfmiddlewaretoken]")) {
        var token = document.createElement("input");
        token.type = "hidden";
        token.name = "csrfmiddlewaretoken";
        token.value = data.csrfToken;
        f.insertBefore(token, f.firstChild);
      }
    });
  }

  function parse(fragment) {
    var template = document.createElement("template");
    // Server-rendered and escaped by the template, the message's body sanitised by nh3
    // when it was written: the same markup as the page's.
    template.innerHTML = String(fragment || "").trim();
    var element = template.content.firstElementChild;
    return element && element.matches("li[data-id]") ? element : null;
  }

  function upsert(id, fragment) {
    var element = parse(fragment);
    if (!element || parseInt(element.getAttribute("data-id"), 10) !== id) return;
    fit(element);
    var existing = document.getElementById("message-" + id);
    if (existing) {
      existing.replaceWith(element);
      return;
    }
    var next = null;
    var items = list.querySelectorAll("[data-id]");
    for (var i = 0; i < items.length; i += 1) {
      if (parseInt(items[i].getAttribute("data-id"), 10) > id) { next = items[i]; break; }
    }
    list.insertBefore(element, next);
    if (emptyNote) emptyNote.hidden = true;
  }

  // The reply form ----------------------------------------------------------------------

  if (form && textarea) {
    form.addEventListener("submit", function (event) {
      var body = textarea.value.trim();
      if (!body) return; // let the server explain
      event.preventDefault();
      var item = { client_id: newClientId(), body: body };
      outbox.push(item);
      saveOutbox();
      textarea.value = "";
      if (!send({ type: "post", client_id: item.client_id, body: item.body }) && attempts >= 4) postOverHttp();
    });
    textarea.addEventListener("input", function () {
      var now = Date.now();
      if (now - lastTypingSent > 3000 && send({ type: "typing" })) lastTypingSent = now;
    });
  }

  renderOutbox();
  connect();
})();
