// A second click while a tip is being sent would replace the page that shows its status code with "already
// received" (the server stores the tip once either way): the form is sent once, and sendable again if the
// page is shown anew (the browser's back button).
(function () {
  const form = document.getElementById("tip-form");
  if (!form) return;
  form.addEventListener("submit", function (event) {
    if (form.dataset.sending === "1") {
      event.preventDefault();
      return;
    }
    form.dataset.sending = "1";
    form.setAttribute("aria-busy", "true");
  });
  window.addEventListener("pageshow", function () {
    delete form.dataset.sending;
    form.removeAttribute("aria-busy");
  });
})();
