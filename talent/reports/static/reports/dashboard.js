// Submit the dashboard's controls as soon as the date or the breakdown changes (the button stays for
// keyboards and for browsers without JavaScript), and open the charts' tables for printing.
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form[data-autosubmit]")) {
    for (const input of form.querySelectorAll("input[type=date], select")) {
      input.addEventListener("change", () => form.requestSubmit());
    }
  }
});
window.addEventListener("beforeprint", () => {
  for (const details of document.querySelectorAll("details.chart-table")) details.open = true;
});
