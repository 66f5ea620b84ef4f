// Move focus to the error summary so screen readers announce it first.
(function () {
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
  // "Clear" on the login page empties what was typed, including values the server echoed.
  document.querySelectorAll("[data-clear-form]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var form = button.form;
      form.querySelectorAll("input[type=text], input[type=password], input[type=email]").forEach(function (input) { input.value = ""; });
      var first = form.querySelector("input[type=text]");
      if (first) { first.focus(); }
    });
  });
})();
