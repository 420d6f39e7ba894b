/* @mention suggestions in the thread's reply composer (progressive enhancement: without this
 * file, `@handle` typed by hand works the same).
 *
 * Typing `@` and a few letters asks the server (data-mentions-url on the reply form) for
 * members of this hub whose handle or name starts with them, and shows them in a listbox
 * under the textarea. The textarea is the combobox: aria-expanded says whether the list is
 * open, aria-activedescendant which option is active. Up and Down move, Enter or Tab picks,
 * Escape closes; a click picks too. Picking replaces `@am` with `@amina-el-idrissi `.
 * No inline script or style attribute in the markup: everything from data-attributes.
 */
(function () {
  "use strict";

  var form = document.querySelector("form[data-reply-form][data-mentions-url]");
  var textarea = form ? form.querySelector("textarea") : null;
  if (!textarea || !window.fetch) return;

  var url = form.getAttribute("data-mentions-url");
  var listId = (textarea.id || "reply-body") + "-mentions";
  var list = document.createElement("ul");
  list.id = listId;
  list.className = "mention-suggestions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", form.getAttribute("data-mentions-label") || "");
  list.hidden = true;
  // CSSOM, not a style attribute: allowed by the Content-Security-Policy.
  list.style.listStyle = "none";
  list.style.margin = "0";
  list.style.padding = "0";
  list.style.border = "1px solid currentColor";
  list.style.maxWidth = "28rem";
  textarea.insertAdjacentElement("afterend", list);

  textarea.setAttribute("role", "combobox");
  textarea.setAttribute("aria-autocomplete", "list");
  textarea.setAttribute("aria-controls", listId);
  textarea.setAttribute("aria-expanded", "false");

  var options = [];
  var active = -1;
  var query = null; // { start, end, prefix } of the `@…` being typed
  var pending = null;
  var asked = "";

  // The `@prefix` just before the caret, if the caret is at the end of one.
  function currentQuery() {
    var caret = textarea.selectionStart;
    if (caret !== textarea.selectionEnd) return null;
    var before = textarea.value.slice(0, caret);
    var match = /(^|[^\w@])@([\w.-]{1,40})$/.exec(before);
    if (!match) return null;
    return { start: caret - match[2].length - 1, end: caret, prefix: match[2] };
  }

  function setActive(index) {
    if (active >= 0 && options[active]) {
      options[active].setAttribute("aria-selected", "false");
      options[active].style.outline = "";
    }
    active = index;
    if (active >= 0 && options[active]) {
      options[active].setAttribute("aria-selected", "true");
      options[active].style.outline = "2px solid currentColor";
      textarea.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    } else {
      textarea.removeAttribute("aria-activedescendant");
    }
  }

  function close() {
    list.hidden = true;
    list.textContent = "";
    options = [];
    active = -1;
    textarea.setAttribute("aria-expanded", "false");
    textarea.removeAttribute("aria-activedescendant");
  }

  function open(people) {
    list.textContent = "";
    options = people.map(function (person, index) {
      var item = document.createElement("li");
      item.id = listId + "-" + index;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.setAttribute("data-handle", person.handle);
      item.style.padding = ".25rem .5rem";
      item.style.cursor = "pointer";
      var name = document.createElement("span");
      name.textContent = person.name;
      var handle = document.createElement("span");
      handle.textContent = " @" + person.handle;
      handle.className = "muted";
      item.appendChild(name);
      item.appendChild(handle);
      // mousedown, not click: the textarea keeps the focus and the caret.
      item.addEventListener("mousedown", function (event) {
        event.preventDefault();
        pick(index);
      });
      list.appendChild(item);
      return item;
    });
    if (!options.length) return close();
    list.hidden = false;
    textarea.setAttribute("aria-expanded", "true");
    setActive(0);
  }

  function pick(index) {
    var option = options[index];
    if (!option || !query) return close();
    var handle = option.getAttribute("data-handle");
    var value = textarea.value;
    var insert = "@" + handle + " ";
    textarea.value = value.slice(0, query.start) + insert + value.slice(query.end);
    var caret = query.start + insert.length;
    textarea.setSelectionRange(caret, caret);
    query = null;
    close();
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
    textarea.focus();
  }

  function suggest() {
    query = currentQuery();
    if (!query) {
      asked = "";
      return close();
    }
    if (query.prefix === asked) return;
    asked = query.prefix;
    if (pending) pending.abort();
    pending = window.AbortController ? new AbortController() : null;
    fetch(url + "?q=" + encodeURIComponent(query.prefix), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      signal: pending ? pending.signal : undefined,
    })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) {
        var still = currentQuery();
        if (!still || still.prefix !== query.prefix) return; // typed on meanwhile
        open(Array.isArray(data.results) ? data.results : []);
      })
      .catch(function () { /* offline or aborted: no suggestions, typing goes on */ });
  }

  textarea.addEventListener("input", function (event) {
    if (event.isTrusted === false && !query) return; // our own event after a pick
    suggest();
  });
  textarea.addEventListener("click", suggest);
  textarea.addEventListener("blur", function () { close(); asked = ""; });

  textarea.addEventListener("keydown", function (event) {
    if (list.hidden || !options.length) return;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      setActive((active + 1) % options.length);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      setActive((active - 1 + options.length) % options.length);
    } else if (event.key === "Enter" || event.key === "Tab") {
      event.preventDefault();
      event.stopPropagation();
      pick(active < 0 ? 0 : active);
    } else if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      close();
    }
  });
})();
