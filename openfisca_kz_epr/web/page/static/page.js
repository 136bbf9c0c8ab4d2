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

// The declarations file: its upload's progress shown, the report saved as a download; a
// mistake shown as the server says it. Without this script the form posts as usual.
(function () {
  var form = document.getElementById("audit");
  if (!form || !window.XMLHttpRequest) { return; }
  var line = document.getElementById("progress-line");
  var bar = document.getElementById("progress");
  var said = document.getElementById("progress-text");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.responseType = "blob";
    line.hidden = false;
    bar.removeAttribute("value");
    request.upload.addEventListener("progress", function (progress) {
      if (progress.lengthComputable) {
        bar.value = Math.round(100 * progress.loaded / progress.total);
        said.textContent = bar.value + " %";
      }
    });
    request.upload.addEventListener("load", function () { bar.removeAttribute("value"); said.textContent = "…"; });
    request.addEventListener("load", function () {
      line.hidden = true;
      var disposition = request.getResponseHeader("Content-Disposition") || "";
      var named = /filename="([^"]+)"/.exec(disposition);
      if (request.status === 200 && named) {
        var link = document.createElement("a");
        link.href = URL.createObjectURL(request.response);
        link.download = named[1];
        document.body.appendChild(link);
        link.click();
        link.remove();
        return;
      }
      request.response.text().then(function (text) {
        var answer = new DOMParser().parseFromString(text, "text/html").getElementById("problem");
        var problem = document.getElementById("problem") || form.appendChild(document.createElement("p"));
        problem.id = "problem";
        problem.className = "problem";
        problem.setAttribute("role", "alert");
        problem.textContent = answer ? answer.textContent : String(request.status);
      });
    });
    request.addEventListener("error", function () { line.hidden = true; });
    request.send(new FormData(form));
  });
})();
