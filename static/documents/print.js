// Documents print view: the Print button opens the browser's print dialog.
document.addEventListener("DOMContentLoaded", () => {
  const button = document.getElementById("print-button");
  if (button) {
    button.addEventListener("click", () => window.print());
  }
});
