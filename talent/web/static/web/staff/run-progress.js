/* The match run page follows its run: it asks the API for the run every few seconds and updates the status,
   the phase and the progress bar in place (a polite live region announces them); once the run has finished it
   reloads, so that the server shows the counts. Without JavaScript the page reloads itself (<noscript> refresh).
   Written for this project; no dependency. */
(function () {
  "use strict";
  var box = document.querySelector("[data-run-poll]");
  if (!box) { return; }
  var labels = JSON.parse(document.getElementById("run-status-labels").textContent);
  var phaseLabels = JSON.parse(document.getElementById("run-phase-labels").textContent);
  var seconds = Number(box.getAttribute("data-run-poll-seconds")) || 2;
  var status = box.querySelector("[data-testid=run-status]");
  var phase = box.querySelector("[data-testid=run-phase]");
  var bar = box.querySelector("progress");
  var percent = box.querySelector("[data-run-percent]");

  function show(run) {
    status.textContent = labels[run.status] || run.status;
    status.setAttribute("data-status", run.status);
    if (phase) { phase.textContent = phaseLabels[run.phase] || "–"; }
    bar.value = run.progress;
    bar.textContent = run.progress + "%";
    if (percent) { percent.textContent = run.progress + "%"; }
  }

  function poll() {
    fetch(box.getAttribute("data-run-poll"), {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (run) {
        show(run);
        if (run.status === "succeeded" || run.status === "failed") { window.location.reload(); }
        else { window.setTimeout(poll, seconds * 1000); }
      })
      .catch(function () { window.setTimeout(poll, seconds * 4000); });  // a hiccup: ask again, less often
  }
  window.setTimeout(poll, seconds * 1000);
})();
