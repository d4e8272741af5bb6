// OpsGuide's own behaviour on top of htmx: keyboard shortcuts, focus after a
// swap, and the sort board's drag and drop. Everything here has a plain-HTML
// fallback: buttons and links work without it.
(function () {
  "use strict";

  // Keys 1, 2, 3 press the matching bucket button of the focused card (sort
  // board) or of the page's single card (play page).
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.repeat) return;
    if (!["1", "2", "3"].includes(event.key)) return;
    const active = document.activeElement;
    if (active && active.closest("input, textarea, select, [contenteditable]")) return;
    const scope =
      (active && active.closest("[data-keys]")) || document.querySelector("[data-keys-default]");
    if (!scope) return;
    const button = scope.querySelector('button[data-key="' + event.key + '"]:not([disabled])');
    if (button) {
      event.preventDefault();
      button.click();
    }
  });

  // A request htmx could not complete (a 5xx, such as the 503 sent while the
  // database restarts, or no connection at all) would otherwise change
  // nothing on screen: say so in the page's alert region, so the learner
  // knows to try again. The buttons are enabled again when the request ends.
  function tellFailure(message) {
    const region = document.getElementById("refusal");
    if (region) region.textContent = message;
  }
  document.addEventListener("htmx:responseError", function () {
    tellFailure("OpsGuide could not take that just now. Please try again in a moment.");
  });
  document.addEventListener("htmx:sendError", function () {
    tellFailure("No connection to OpsGuide. Check your network, then try again.");
  });
  document.addEventListener("htmx:beforeRequest", function () {
    tellFailure("");
  });

  // After htmx swaps content in, move each placed sort-board card into its
  // column, then move focus to the element the server marked with data-focus.
  // "More ..." links replace themselves with the next items: focus goes to the
  // first of them (data-focus-loaded, used once), not back to the page's top.
  document.addEventListener("htmx:afterSettle", function (event) {
    const id = event.detail.target && event.detail.target.id;
    const scope = (id && document.getElementById(id)) || document;
    scope.querySelectorAll && placeCards(scope);
    const focus = scope.querySelector ? scope.querySelector("[data-focus]") : null;
    const loaded = document.querySelector("[data-focus-loaded]");
    if (focus) focus.focus();
    else if (loaded) {
      loaded.removeAttribute("data-focus-loaded");
      loaded.focus();
    }
  });

  function placeCards(scope) {
    const cards = scope.matches && scope.matches(".board-card") ? [scope] : [];
    cards.forEach(function (card) {
      const column = card.dataset.placed && document.getElementById("column-" + card.dataset.placed);
      if (column && card.parentElement !== column) column.appendChild(card);
      if (card.hasAttribute("data-finished")) {
        const results = document.getElementById("board-results");
        if (results) results.hidden = false;
      }
    });
  }

  // Native drag and drop: dropping a card on a column presses that card's
  // button for the column's bucket, so grading takes the same path as a click.
  document.addEventListener("dragstart", function (event) {
    const card = event.target.closest && event.target.closest(".board-card[draggable=true]");
    if (!card) return;
    event.dataTransfer.setData("text/plain", card.id);
    event.dataTransfer.effectAllowed = "move";
  });
  document.addEventListener("dragover", function (event) {
    const column = event.target.closest && event.target.closest("[data-drop]");
    if (!column) return;
    event.preventDefault();
    column.classList.add("is-over");
  });
  document.addEventListener("dragleave", function (event) {
    const column = event.target.closest && event.target.closest("[data-drop]");
    if (column && !column.contains(event.relatedTarget)) column.classList.remove("is-over");
  });
  document.addEventListener("drop", function (event) {
    const column = event.target.closest && event.target.closest("[data-drop]");
    if (!column) return;
    event.preventDefault();
    column.classList.remove("is-over");
    const card = document.getElementById(event.dataTransfer.getData("text/plain"));
    const button =
      card && card.querySelector('button[value="' + column.dataset.drop + '"]:not([disabled])');
    if (button) button.click();
  });
})();
