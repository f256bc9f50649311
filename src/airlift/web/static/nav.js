// The menu button of narrow screens (under 1,024 px, app.css): it shows and hides the
// navigation and user box, says so in aria-expanded, and Escape closes the menu again.
const toggle = document.getElementById("menu-toggle");
const menu = document.getElementById("menu");

function setOpen(open) {
  toggle.setAttribute("aria-expanded", String(open));
  menu.classList.toggle("open", open);
}

if (toggle && menu) {
  toggle.addEventListener("click", () => setOpen(toggle.getAttribute("aria-expanded") !== "true"));
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      toggle.focus();
    }
  });
  // Back to a wide window: the menu is simply shown, and closed for the next narrow view.
  matchMedia("(min-width: 1024px)").addEventListener("change", (e) => e.matches && setOpen(false));
}
