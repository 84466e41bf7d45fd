/* Progress feedback while a long form request runs (a roster upload or import): the submit button is disabled,
   so the request is not sent twice, and the form's status line with its progress bar is shown.
   Written for this project; no dependency. Forms opt in with data-busy; their status element has data-busy-status. */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-busy")) { return; }
    if (form.getAttribute("data-busy-sent") === "1") { event.preventDefault(); return; }
    form.setAttribute("data-busy-sent", "1");
    form.setAttribute("aria-busy", "true");
    var buttons = form.querySelectorAll("button[type=submit]");
    for (var i = 0; i < buttons.length; i++) { buttons[i].setAttribute("aria-disabled", "true"); }
    var status = form.querySelector("[data-busy-status]");
    if (status) { status.hidden = false; }
  });
  // Back to a page the browser kept (back button): its forms may be sent again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    var forms = document.querySelectorAll("form[data-busy-sent]");
    for (var i = 0; i < forms.length; i++) {
      forms[i].removeAttribute("data-busy-sent");
      forms[i].removeAttribute("aria-busy");
      var status = forms[i].querySelector("[data-busy-status]");
      if (status) { status.hidden = true; }
      var buttons = forms[i].querySelectorAll("button[type=submit]");
      for (var j = 0; j < buttons.length; j++) { buttons[j].removeAttribute("aria-disabled"); }
    }
  });
})();
