// Submit the dashboard's controls as soon as the date or the breakdown changes (the button stays for
// keyboards and for browsers without JavaScript).
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form[data-autosubmit]")) {
    for (const input of form.querySelectorAll("input[type=date], select")) {
      input.addEventListener("change", () => form.requestSubmit());
    }
  }
});
