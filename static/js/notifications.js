// The bell's unread count, live: the server-rendered count works without this; with it, the
// count follows ws://…/ws/notifications/ ({"type": "unread", "count": N}), reconnecting
// with a growing pause when the connection drops.
(function () {
  "use strict";
  var bell = document.querySelector(".notification-bell[data-ws-path]");
  if (!bell || !window.WebSocket) return;
  var number = bell.querySelector(".bell-count");
  var pause = 1000;

  function show(count) {
    bell.setAttribute("data-unread", String(count));
    bell.classList.toggle("has-unread", count > 0);
    if (number) number.textContent = String(count);
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var ws = new WebSocket(scheme + window.location.host + bell.getAttribute("data-ws-path"));
    ws.onopen = function () { pause = 1000; };
    ws.onmessage = function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      if (frame && frame.type === "unread" && typeof frame.count === "number") show(frame.count);
    };
    ws.onclose = function (event) {
      if (event.code === 4401 || event.code === 4403) return; // logged out: stay as rendered
      setTimeout(connect, pause);
      pause = Math.min(pause * 2, 60000);
    };
  }
  connect();
})();
