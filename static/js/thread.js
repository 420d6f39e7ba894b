/* The live thread page: websocket client of the protocol in DESIGN.md.
 *
 * Progressive enhancement of the server-rendered page (which works without this file):
 * new messages appear live; the connection reconnects with backoff and sends `resume` with
 * the last id seen; unsent posts wait in an outbox in localStorage, each with its client_id,
 * and are resent after a drop or a reload without duplicates (the server acks a client_id it
 * already stored with the stored id); who is typing and how many are online are shown; new
 * messages are announced in an aria-live region. No inline script: everything comes from
 * data-attributes on #thread.
 */
(function () {
  "use strict";

  var root = document.getElementById("thread");
  if (!root || !("WebSocket" in window) || !window.JSON) return;
  var data = root.dataset;
  if (data.live !== "true") return; // an earlier page of a long thread stays static

  var userId = parseInt(data.userId, 10);
  var isModerator = data.moderator === "true";
  var isParticipant = data.participant === "true";
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
    var ws = new WebSocket(scheme + window.location.host + data.wsPath);
    socket = ws;
    ws.addEventListener("open", function () {
      attempts = 0;
      setState("connected");
      catchingUp = true;
      send({ type: "resume", after: lastId });
    });
    ws.addEventListener("message", function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (error) { return; }
      if (frame && typeof frame.type === "string") handle(frame);
    });
    ws.addEventListener("close", function (event) {
      if (socket === ws) socket = null;
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

  window.addEventListener("online", function () {
    if (!socket && !closedForGood) {
      window.clearTimeout(reconnectTimer);
      reconnectTimer = null;
      connect();
    }
  });

  // Phones often keep a dead socket open when the network goes: drop it at once, so new
  // posts wait in the outbox and the state shows offline.
  window.addEventListener("offline", function () {
    if (socket) socket.close();
  });

  // Frames from the server --------------------------------------------------------------

  function handle(frame) {
    switch (frame.type) {
      case "message": {
        var isNew = !document.getElementById("message-" + frame.message.id);
        upsert(frame.message);
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
        if (document.getElementById("message-" + frame.message.id)) upsert(frame.message);
        break;
      case "hidden":
        if (frame.message) upsert(frame.message);
        else removeMessage(frame.id);
        break;
      case "deleted": {
        var element = document.getElementById("message-" + frame.id);
        if (element) {
          element.classList.add("is-deleted");
          var body = element.querySelector(".message-body");
          if (body) { body.textContent = label("Deleted"); body.className = "muted message-body"; }
          var actions = element.querySelector(".message-actions");
          if (actions) actions.remove();
        }
        break;
      }
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

  function button(text, className, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = className;
    b.textContent = text;
    b.addEventListener("click", onClick);
    return b;
  }

  function build(message) {
    var li = document.createElement("li");
    li.id = "message-" + message.id;
    li.setAttribute("data-id", String(message.id));
    li.className = "thread-message" + (message.hidden ? " is-hidden" : "") + (message.deleted ? " is-deleted" : "");
    var article = document.createElement("article");
    var header = document.createElement("header");
    header.className = "message-meta";
    var author = document.createElement("span");
    author.className = "message-author";
    if (message.author && message.author.name) {
      // A name in another script than the page's stays whole and in its own direction.
      var name = document.createElement("bdi");
      name.textContent = message.author.name;
      author.appendChild(name);
    } else {
      author.textContent = label("FormerMember");
    }
    header.appendChild(author);
    var link = document.createElement("a");
    link.className = "message-time";
    link.href = "#message-" + message.id;
    var time = document.createElement("time");
    time.setAttribute("datetime", message.created);
    time.textContent = new Date(message.created).toLocaleString(document.documentElement.lang || undefined);
    link.appendChild(time);
    header.appendChild(link);
    if (message.edited) {
      var edited = document.createElement("span");
      edited.className = "message-edited";
      edited.textContent = label("Edited");
      header.appendChild(edited);
    }
    article.appendChild(header);
    if (message.deleted) {
      var gone = document.createElement("p");
      gone.className = "muted message-body";
      gone.textContent = label("Deleted");
      article.appendChild(gone);
      li.appendChild(article);
      return li;
    }
    if (message.hidden) {
      var note = document.createElement("p");
      note.className = "hidden-note";
      note.textContent = label("Hidden") + (message.hidden_reason ? " " + message.hidden_reason : "");
      article.appendChild(note);
    }
    var body = document.createElement("div");
    body.className = "message-body prose";
    body.dir = "auto";
    // Rendered from markdown and sanitised by nh3 on the server, once, when it was written.
    body.innerHTML = message.html;
    article.appendChild(body);
    var actions = document.createElement("div");
    actions.className = "message-actions";
    var own = message.author && message.author.id === userId;
    if (own) {
      if (!message.hidden) {
        var edit = document.createElement("a");
        edit.href = data.messageUrl + message.id + "/edit/";
        edit.textContent = label("Edit");
        actions.appendChild(edit);
      }
      actions.appendChild(button(label("Delete"), "link-button", function () {
        send({ type: "delete", id: message.id });
      }));
    } else if (isParticipant && !message.hidden) {
      var report = document.createElement("a");
      report.href = data.messageUrl + message.id + "/report/";
      report.textContent = label("Report");
      actions.appendChild(report);
    }
    if (isModerator) {
      if (message.hidden) {
        actions.appendChild(button(label("Unhide"), "secondary", function () {
          send({ type: "unhide", id: message.id });
        }));
      } else {
        var reasonId = "hide-reason-live-" + message.id;
        var reasonLabel = document.createElement("label");
        reasonLabel.setAttribute("for", reasonId);
        reasonLabel.textContent = label("HideReason");
        var reason = document.createElement("input");
        reason.type = "text";
        reason.id = reasonId;
        reason.maxLength = 2000;
        actions.appendChild(reasonLabel);
        actions.appendChild(reason);
        actions.appendChild(button(label("Hide"), "danger", function () {
          send({ type: "hide", id: message.id, reason: reason.value });
        }));
      }
    }
    article.appendChild(actions);
    li.appendChild(article);
    return li;
  }

  function upsert(message) {
    var element = build(message);
    var existing = document.getElementById("message-" + message.id);
    if (existing) {
      if (existing.classList.contains("is-accepted")) element.classList.add("is-accepted");
      existing.replaceWith(element);
      return;
    }
    var next = null;
    var items = list.querySelectorAll("[data-id]");
    for (var i = 0; i < items.length; i += 1) {
      if (parseInt(items[i].getAttribute("data-id"), 10) > message.id) { next = items[i]; break; }
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
