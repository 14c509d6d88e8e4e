// The export page's "Select all" box ticks or clears every column box (bound here: the CSP refuses inline handlers).
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector("#select-all-toggle");
  if (toggle) {
    toggle.addEventListener("change", () => {
      document.querySelectorAll('.selectable-field-export-row input[type="checkbox"]').forEach((box) => {
        box.checked = toggle.checked;
      });
    });
  }
});
