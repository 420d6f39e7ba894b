// Fills an empty time-zone field ([data-browser-zone]) with the browser's own zone, so a
// member who never chose one gets times in the zone they are in. Without JavaScript the
// field stays empty and the zone comes from the member's country.
(function () {
  "use strict";
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!zone) return;
  document.querySelectorAll("input[data-browser-zone]").forEach(function (input) {
    if (!input.value) {
      input.value = zone;
      var hint = document.getElementById(input.id + "-browser");
      if (hint) hint.hidden = false;
    }
  });
})();
