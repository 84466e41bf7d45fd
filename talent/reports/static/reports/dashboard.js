// Submit the dashboard's controls as soon as the date, the breakdown, the target or its version changes (the
// button stays for keyboards and for browsers without JavaScript), and open the charts' tables for printing.
// Another target has versions of its own: choosing it goes back to its version in force on the date.
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form[data-autosubmit]")) {
    for (const input of form.querySelectorAll("input[type=date], select")) {
      input.addEventListener("change", () => {
        if (input.name === "target" && form.elements.version) form.elements.version.value = "";
        form.requestSubmit();
      });
    }
  }
});
window.addEventListener("beforeprint", () => {
  for (const details of document.querySelectorAll("details.chart-table")) details.open = true;
});
