// The admin's search-as-you-type pickers (select2, for an advisor or a person) are named only by the value they show,
// so a screen reader announces an empty box. Name each picker by its field's label whenever the admin builds one
// (on page load, or when an inline row adds one): select2 builds them after the page has loaded, so watch for them.
(function () {
  "use strict";
  function nameThePicker(container) {
    var select = container.previousElementSibling;
    if (!select || !select.matches("select.admin-autocomplete")) { return; }
    var label = document.querySelector('label[for="' + select.id + '"]');
    if (!label) { return; }
    if (!label.id) { label.id = select.id + "-label"; }
    container.querySelectorAll(".select2-selection, .select2-selection__rendered").forEach(function (part) {
      var names = (part.getAttribute("aria-labelledby") || "").split(" ").filter(Boolean);
      if (!part.classList.contains("select2-selection")) { names = []; }
      if (names.indexOf(label.id) === -1) { names.unshift(label.id); }
      part.setAttribute("aria-labelledby", names.join(" "));
    });
  }
  function nameAll(root) {
    root.querySelectorAll(".select2-container").forEach(nameThePicker);
  }
  document.addEventListener("DOMContentLoaded", function () {
    nameAll(document);
    new MutationObserver(function (changes) {
      changes.forEach(function (change) {
        change.addedNodes.forEach(function (node) {
          if (node.nodeType !== Node.ELEMENT_NODE) { return; }
          if (node.matches(".select2-container")) { nameThePicker(node); } else { nameAll(node); }
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
  });
})();
