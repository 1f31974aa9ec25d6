// Messages beside the field the user can see: a section (<details>) holding a field with
// a message opens, and each link of the summary at the top opens the field's section,
// scrolls to it and puts the cursor in it. Plain JavaScript.
(function () {
  "use strict";
  function openAround(el) {
    for (var node = el; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") node.open = true;
    }
  }
  function fieldOf(target) {
    var holder = target.closest("label, .item, fieldset") || target.parentElement;
    return holder ? holder.querySelector("input:not([type=hidden]), select, textarea") : null;
  }
  document.querySelectorAll(".field-error").forEach(function (el) {
    if (el.textContent.trim() !== "") openAround(el);
  });
  document.querySelectorAll(".error-summary a[href^='#']").forEach(function (link) {
    link.addEventListener("click", function (ev) {
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) return;
      ev.preventDefault();
      openAround(target);
      target.scrollIntoView({ block: "center" });
      var field = fieldOf(target);
      if (field) field.focus();
    });
  });
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
