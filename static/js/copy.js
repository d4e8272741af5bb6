// The invites page's Copy buttons. Without JavaScript they stay hidden and the
// full link beside each one can be selected and copied by hand.
(function () {
  "use strict";

  function selectText(element) {
    const range = document.createRange();
    range.selectNodeContents(element);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function copy(text, element) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Plain http on another host: the older API works on a selection.
    selectText(element);
    return document.execCommand("copy") ? Promise.resolve() : Promise.reject();
  }

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    const source = document.getElementById(button.dataset.copy);
    if (!source) return;
    const status = button.parentElement.querySelector(".copy-status");
    button.hidden = false;
    button.addEventListener("click", function () {
      copy(source.textContent.trim(), source).then(
        function () {
          if (status) status.textContent = "Link copied.";
        },
        function () {
          selectText(source);
          if (status) status.textContent = "Could not copy: the link is selected, press Ctrl+C.";
        }
      );
    });
  });
})();
