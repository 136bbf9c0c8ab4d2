// The calculator's small help: suggestions of customs codes as one types, and a form address
// without its empty fields. The page works without it.
"use strict";
(function () {
  var form = document.getElementById("calculator");
  var code = document.getElementById("customs_code");
  var list = document.getElementById("codes");
  if (!form || !code || !list) { return; }
  var lang = form.elements.lang.value;
  var asked = 0;
  var timer;
  code.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var text = code.value.trim();
      var mine = ++asked;
      if (text.length < 2) { list.replaceChildren(); return; }
      fetch("/page/suggest?" + new URLSearchParams({ q: text, lang: lang }), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (found) {
          if (mine !== asked) { return; }
          list.replaceChildren.apply(list, found.map(function (one) {
            var option = document.createElement("option");
            option.value = one.code;
            option.textContent = one.label;
            return option;
          }));
        })
        .catch(function () { list.replaceChildren(); });
    }, 150);
  });
  form.addEventListener("submit", function () {
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.name && field.name !== "lang" && field.value === "") { field.disabled = true; }
    });
  });
  window.addEventListener("pageshow", function () {
    Array.prototype.forEach.call(form.elements, function (field) { field.disabled = false; });
  });
})();
