// "Click here for more options" shows the hidden fields in place, keeping what was typed.
// Without JavaScript the link loads ?more=1, which the server renders with them shown.
(function () {
  document.querySelectorAll("[data-reveal]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var target = document.getElementById(link.getAttribute("data-reveal"));
      if (!target) { return; }
      event.preventDefault();
      target.hidden = false;
      link.setAttribute("aria-expanded", "true");
      // Post to the ?more=1 URL, so a page with errors comes back with the fields shown.
      if (link.closest("form")) { link.closest("form").action = link.href; }
      var toggle = document.getElementById("more-options-toggle");
      if (toggle) { toggle.hidden = true; }
      var first = target.querySelector("input");
      if (first) { first.focus(); }
    });
  });
})();
