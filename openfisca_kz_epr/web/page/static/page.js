// The calculator's help, without which the page works the same, a page load at a time:
// - suggestions of customs codes as one types;
// - the result as one types (or on Enter) without a page load: the page itself is asked for its
//   result part (`part=result`: the same page without its form, rendered by the server as every
//   result is), its parts put in place by their ids, and the address bar set to the form's
//   address, the link that reproduces the result; on Enter the result gets the focus;
// - a form address without its empty fields.
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

  var PARTS = ["languages", "mrp", "result-area", "summary"];  // the ids of what a result changes
  var area = document.getElementById("result-area");
  var shown = address();  // the inputs of the result on the page
  var waiting;
  var request = null;

  function address() {  // the form's address, as a plain submit gives it without its empty fields
    var inputs = new URLSearchParams();
    new FormData(form).forEach(function (value, name) { if (value !== "") { inputs.append(name, value); } });
    return "/?" + inputs;
  }

  function replaceChildren(mine, theirs) {
    if (mine && theirs) { mine.replaceChildren.apply(mine, Array.prototype.slice.call(theirs.childNodes)); }
  }

  function putInPlace(html) {  // the server's parts, each where the same id is on this page; the footer (when computed)
    var answer = new DOMParser().parseFromString(html, "text/html");
    PARTS.forEach(function (id) { replaceChildren(document.getElementById(id), answer.getElementById(id)); });
    replaceChildren(document.querySelector("footer"), answer.querySelector("footer"));
  }

  function focusResult() {
    var result = document.getElementById("result");
    if (result) {
      result.focus({ preventScroll: true });
      var top = result.getBoundingClientRect().top;
      if (top < 0 || top > window.innerHeight / 3) { result.scrollIntoView({ block: "start" }); }  // beside the form it is in view
    }
  }

  function show(submitted) {
    clearTimeout(waiting);
    var wanted = address();
    if (wanted === shown && request === null) {
      if (submitted) { focusResult(); }
      return;
    }
    if (request) { request.abort(); }
    var mine = request = new AbortController();
    area.classList.add("stale");
    area.setAttribute("aria-busy", "true");
    fetch(wanted + "&part=result", { headers: { Accept: "text/html" }, signal: mine.signal })
      .then(function (response) {
        if (response.status !== 200 && response.status !== 400) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (html) {
        request = null;
        putInPlace(html);
        shown = wanted;
        history.replaceState(null, "", wanted);
        area.classList.remove("stale");
        area.removeAttribute("aria-busy");
        if (submitted) { focusResult(); }
      })
      .catch(function (error) {
        if (mine.signal.aborted) { return; }
        request = null;
        area.removeAttribute("aria-busy");  // the result stays dimmed: it is not the inputs' any more
        if (submitted) { leaveOutEmpty(); form.submit(); }  // no page part came back: load the page itself
      });
  }

  function leaveOutEmpty() {
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.name && field.name !== "lang" && field.value === "") { field.disabled = true; }
    });
  }

  form.addEventListener("input", function () {
    clearTimeout(waiting);
    waiting = setTimeout(function () { show(false); }, 200);  // benchmarks/page.py: DEBOUNCE_MS
  });
  form.addEventListener("change", function () { show(false); });
  form.addEventListener("submit", function (event) {
    if (!area || !window.fetch || !window.AbortController) { leaveOutEmpty(); return; }  // an old browser: the plain form
    event.preventDefault();
    show(true);
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
