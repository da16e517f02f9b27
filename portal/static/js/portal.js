/* Small enhancements; every page works without this file. */
(function () {
  "use strict";

  /* Text size: switch at once and remember it, without reloading the page. */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("text-size")) return;
    var button = event.submitter;
    if (!button || !button.value) return;
    event.preventDefault();
    document.documentElement.setAttribute("data-tekstgrootte", button.value);
    document.cookie = "tekstgrootte=" + button.value + ";path=/;max-age=31536000;samesite=lax";
    form.querySelectorAll("button").forEach(function (b) {
      b.setAttribute("aria-pressed", b === button ? "true" : "false");
    });
  });

  /* After htmx swaps a region in, move focus to what it marks with data-focus-after-swap. */
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.elt && event.detail.elt.querySelector
      ? event.detail.elt.querySelector("[data-focus-after-swap]")
      : null;
    if (target) {
      if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
      target.focus();
    }
  });

  /* Agenda: "Afdrukken" buttons (hidden without JavaScript, where the browser's own print
     button does the job). */
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
