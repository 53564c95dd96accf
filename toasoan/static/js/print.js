// The print view's button: shown only where a script can print; without
// scripts, the browser's own Print menu does the same.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
