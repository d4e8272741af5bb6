// OpsGuide's own behaviour on top of htmx: keyboard shortcuts, focus after a
// swap, and the sort board's drag and drop. Everything here has a plain-HTML
// fallback: buttons and links work without it.
(function () {
  "use strict";

  // Keys 1, 2, 3 press the matching bucket button of the focused card (sort
  // board) or of the page's single card (play page).
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.repeat) return;
    if (event.key === "g") {
      // "I guessed", beside the buckets of a signed-in learner's card.
      const active = document.activeElement;
      if (active && active.closest("input, textarea, select, [contenteditable]")) return;
      const guess = document.querySelector("input[data-guess]:not([disabled])");
      if (guess) {
        event.preventDefault();
        guess.checked = !guess.checked;
      }
      return;
    }
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

  // After htmx swaps content in, move focus to the element the server marked
  // with data-focus. "More ..." links replace themselves with the next items:
  // focus goes to the first of them (data-focus-loaded, used once), not back
  // to the page's top. A placed sort-board card moves into its column instead.
  // htmx fires afterSettle once per settled element (out-of-band ones too),
  // each time with the same detail, hence the checks on event.target.
  document.addEventListener("htmx:afterSettle", function (event) {
    const id = event.detail.target && event.detail.target.id;
    const scope = (id && document.getElementById(id)) || document;
    if (scope.classList && scope.classList.contains("board-card")) {
      if (event.target === scope) placeCard(scope);
      return;
    }
    const focus = scope.querySelector ? scope.querySelector("[data-focus]") : null;
    const loaded = document.querySelector("[data-focus-loaded]");
    if (focus) focus.focus();
    else if (loaded) {
      loaded.removeAttribute("data-focus-loaded");
      loaded.focus();
    }
  });

  // The sort board: a placed card leaves the pile for its column, and focus
  // goes to the next card to sort (or to "See your results" after the last)
  // without scrolling, so on a phone the view stays where the learner is.
  function placeCard(card) {
    const pile = document.getElementById("column-pile");
    const column = card.dataset.placed && document.getElementById("column-" + card.dataset.placed);
    if (!pile || !column || card.parentElement === column) return;
    const next = card.parentElement === pile ? nextUnsorted(card, pile) : null;
    column.appendChild(card);
    if (card.hasAttribute("data-finished") || !next) {
      const results = document.getElementById("board-results");
      if (!results) return;
      results.hidden = false;
      focusWithVerdict(results.querySelector("a"));
    } else {
      focusWithVerdict(next.querySelector("h3"));
    }
  }

  function nextUnsorted(card, pile) {
    let next = card.nextElementSibling;
    while (next && next.hasAttribute("data-placed")) next = next.nextElementSibling;
    return next || pile.querySelector(".board-card:not([data-placed])");
  }

  // The focused element's description carries the verdict just announced, so
  // moving focus cannot cut the announcement off.
  function focusWithVerdict(element) {
    if (!element) return;
    element.setAttribute("aria-describedby", "announce");
    element.addEventListener(
      "blur",
      function () {
        element.removeAttribute("aria-describedby");
      },
      { once: true }
    );
    element.focus({ preventScroll: true });
    // Scroll only if the element is off screen or under the dock (which sticks
    // to the bottom of the screen), and then as little as possible.
    const box = element.getBoundingClientRect();
    const dock = document.querySelector(".board-dock");
    let bottom = window.innerHeight;
    if (dock) bottom = Math.min(dock.getBoundingClientRect().top, bottom);
    if (box.top < 0 || box.bottom > bottom) {
      element.scrollIntoView({ block: "nearest", behavior: "instant" });
    }
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
