// PromptVault's small helpers. Loaded with the CSP nonce; uses data attributes, never inline
// handlers, so no 'unsafe-inline' or 'unsafe-eval' is needed.
(function () {
  "use strict";
  var root = document.documentElement;

  function currentTheme() {
    if (root.dataset.theme === "light" || root.dataset.theme === "dark") return root.dataset.theme;
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }

  function copyText(text, button) {
    var done = function () {
      if (!button) return;
      var label = button.dataset.label || button.textContent;
      button.dataset.label = label;
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = label; }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { fallbackCopy(text); done(); });
    } else {
      fallbackCopy(text);
      done();
    }
  }

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } catch (e) { /* nothing more to try */ }
    document.body.removeChild(area);
  }
  window.PromptVault = { copyText: copyText };

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-theme-toggle]");
    if (toggle) {
      var next = currentTheme() === "dark" ? "light" : "dark";
      root.dataset.theme = next;
      try { localStorage.setItem("pv-theme", next); } catch (e) { /* private mode */ }
      return;
    }
    var dismiss = event.target.closest("[data-dismiss]");
    if (dismiss) {
      dismiss.parentElement.remove();
      return;
    }
    var copy = event.target.closest("[data-copy-target], [data-copy-text]");
    if (copy) {
      var text = copy.dataset.copyText;
      if (text === undefined) {
        var source = document.querySelector(copy.dataset.copyTarget);
        text = source ? (source.value !== undefined && source.tagName !== "PRE" && source.tagName !== "DIV" ? source.value : source.textContent) : "";
      }
      copyText(text, copy);
    }
  });

  // Forms marked data-confirm ask before they submit (destructive actions).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = (event.submitter && event.submitter.dataset.confirm) || (form.dataset && form.dataset.confirm);
    if (question && !form.dataset.confirmed) {
      if (!window.confirm(question)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    }
  }, true);

  document.addEventListener("htmx:confirm", function (event) {
    var question = event.detail.elt.dataset && event.detail.elt.dataset.confirm;
    if (question && event.detail.elt.tagName !== "FORM") {
      event.preventDefault();
      if (window.confirm(question)) event.detail.issueRequest(true);
    }
  });

  // "Select page" checkboxes tick or clear every checkbox of their form.
  document.addEventListener("change", function (event) {
    var all = event.target.closest("[data-select-all]");
    if (!all) return;
    var form = document.querySelector(all.dataset.selectAll);
    if (!form) return;
    form.querySelectorAll('input[type="checkbox"][name="ids"]').forEach(function (box) { box.checked = all.checked; });
  });

  // "/" jumps to the page's search box, as on most sites with one, unless the user is typing.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
    var search = document.querySelector('input[type="search"]');
    if (!search) return;
    event.preventDefault();
    search.focus();
    search.select();
  });

  document.addEventListener("htmx:beforeRequest", function () { document.body.classList.add("htmx-busy"); });
  document.addEventListener("htmx:afterRequest", function () { document.body.classList.remove("htmx-busy"); });
})();

// Fill and copy: re-render the prompt with the typed values as the user types.
(function () {
  "use strict";
  var pattern = /\{\{\s*([A-Za-z_][A-Za-z0-9_.\-]{0,63})\s*\}\}/g;

  function render(form) {
    var source = form.querySelector("#prompt-template");
    var output = form.querySelector("[data-fill-output]");
    if (!source || !output) return;
    var template = JSON.parse(source.textContent);
    var values = {};
    form.querySelectorAll("[data-fill-input]").forEach(function (input) {
      values[input.dataset.fillInput] = input.value;
    });
    output.value = template.replace(pattern, function (whole, name) {
      return values[name] ? values[name] : whole;
    });
  }

  document.addEventListener("input", function (event) {
    var form = event.target.closest("[data-fill-form]");
    if (form && event.target.matches("[data-fill-input]")) render(form);
  });
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("[data-fill-form]");
    if (form) { event.preventDefault(); render(form); }
  });
})();
