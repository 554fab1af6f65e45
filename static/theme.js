/* The reader's colour theme: Auto (the system's), Light or Dark.
 *
 * Loaded in <head> as a blocking script, after the style sheets, so that
 * the choice is on <html> before anything is painted:
 *   data-theme="light|dark"         the theme chosen (none: Auto), which
 *                                   guide.css prefers to the system's;
 *   data-theme-choice="auto|…"      which shows the header's switch, with
 *                                   the icon and name of the choice.
 * The choice is kept in localStorage, so it holds on every page, and in
 * every open tab. Without JavaScript the switch stays hidden and the
 * system's theme applies. */
(function () {
  "use strict";
  var KEY = "guide-theme";
  var root = document.documentElement;
  var dark = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function stored() {
    try {
      var choice = window.localStorage.getItem(KEY);
      return choice === "light" || choice === "dark" ? choice : "auto";
    } catch (error) {  // storage refused (private modes, blocked cookies)
      return "auto";
    }
  }

  function store(choice) {
    try {
      if (choice === "auto") {
        window.localStorage.removeItem(KEY);
      } else {
        window.localStorage.setItem(KEY, choice);
      }
    } catch (error) {
      // Not remembered, but still shown on this page.
    }
  }

  function apply(choice) {
    root.setAttribute("data-theme-choice", choice);
    if (choice === "auto") {
      root.removeAttribute("data-theme");
    } else {
      root.setAttribute("data-theme", choice);
    }
    var meta = document.querySelector('meta[name="color-scheme"]');
    if (meta) {
      meta.setAttribute("content", choice === "auto" ? "light dark" : choice);
    }
  }

  /* Auto, then the theme the system does not show, then the one it does:
     each press changes what is seen, but the last, back to Auto. */
  function next(choice) {
    var system = dark && dark.matches ? "dark" : "light";
    var other = system === "dark" ? "light" : "dark";
    return choice === "auto" ? other : choice === other ? system : "auto";
  }

  apply(stored());

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll(".theme-switch"), function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var choice = next(root.getAttribute("data-theme-choice") || "auto");
        store(choice);
        apply(choice);
      });
    });
  });

  // A choice made in another tab.
  window.addEventListener("storage", function (event) {
    if (event.key === KEY || event.key === null) {
      apply(stored());
    }
  });
})();
