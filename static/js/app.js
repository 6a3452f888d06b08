// PromptVault's small helpers. Loaded with the CSP nonce; uses data attributes, never inline
// handlers, so no 'unsafe-inline' or 'unsafe-eval' is needed.
(function () {
  "use strict";
  function copyText(text, button) {
    var done = function () {
      if (!button) return;
      // A button with an icon names only its label's span, so the icon stays.
      var target = button.querySelector("[data-copy-label]") || button;
      var label = button.dataset.label || target.textContent;
      button.dataset.label = label;
      target.textContent = "Copied";
      setTimeout(function () { target.textContent = label; }, 1500);
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
  // apps/prompts/variables.py's VARIABLE_RE, with Python's whitespace spelled out.
  var space = "[\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*";
  var pattern = new RegExp("\\{\\{" + space + "([A-Za-z_][A-Za-z0-9_.\\-]{0,63})" + space + "\\}\\}", "g");

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

// Vault list: the bulk bar's selection count, Enter in its fields, and the list's keyboard
// shortcuts (j/k and the arrows to highlight a row, Enter to open, e to edit, x to select,
// ? for the shortcuts dialog). Shortcuts wait while the user types or holds a modifier.
(function () {
  "use strict";
  var ROWS = "[data-keyboard-list] > .prompt-row";
  var lastRow = null;

  function syncSelection(form) {
    var boxes = form.querySelectorAll('input[name="ids"]');
    var checked = form.querySelectorAll('input[name="ids"]:checked').length;
    var count = form.querySelector("[data-selected-count]");
    if (count) count.textContent = checked ? checked + " selected" : "";
    var all = form.querySelector("[data-select-all]");
    if (all) {
      all.checked = checked > 0 && checked === boxes.length;
      all.indeterminate = checked > 0 && checked < boxes.length;
    }
  }

  function bulkFormOf(element) {
    return element && element.closest ? element.closest("#bulk-form") : null;
  }

  document.addEventListener("change", function (event) {
    var form = bulkFormOf(event.target);
    if (form) syncSelection(form);
  });
  // "Clear" is a reset button: the boxes are cleared once the reset event has run.
  document.addEventListener("reset", function (event) {
    var form = event.target;
    if (form.id === "bulk-form") setTimeout(function () { syncSelection(form); }, 0);
  });
  // A page restored from the back-forward cache starts with nothing selected.
  window.addEventListener("pageshow", function (event) {
    var form = document.getElementById("bulk-form");
    if (form && event.persisted) { form.reset(); syncSelection(form); }
  });

  function isTyping(element) {
    if (!element || !element.tagName) return false;
    if (element.isContentEditable || /^(TEXTAREA|SELECT)$/.test(element.tagName)) return true;
    return element.tagName === "INPUT" && !/^(checkbox|button|submit|reset)$/.test(element.type);
  }

  function rows() { return Array.prototype.slice.call(document.querySelectorAll(ROWS)); }

  function rowOf(element) {
    return element && element.closest ? element.closest(ROWS) : null;
  }

  function highlight(row) {
    var link = row.querySelector(".prompt-row__name");
    if (!link) return;
    link.focus({ preventScroll: true });
    row.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    var list = rows();
    if (!list.length) return false;
    var row = rowOf(document.activeElement);
    if (row) {
      highlight(list[Math.min(Math.max(list.indexOf(row) + step, 0), list.length - 1)]);
    } else {
      highlight(lastRow && lastRow.isConnected ? lastRow : list[0]);
    }
    return true;
  }

  // The filters fold behind a button on phones only; a browser that can't show a closed
  // <details> on wider screens (no ::details-content) gets it opened there instead.
  if (window.CSS && CSS.supports && !CSS.supports("selector(::details-content)") &&
      window.matchMedia("(min-width: 641px)").matches) {
    document.querySelectorAll("details[data-filters]").forEach(function (details) { details.open = true; });
  }

  document.addEventListener("focusin", function (event) {
    var row = rowOf(event.target);
    if (row) { row.classList.add("is-current"); lastRow = row; }
  });
  document.addEventListener("focusout", function (event) {
    var row = rowOf(event.target);
    if (row && !row.contains(event.relatedTarget)) row.classList.remove("is-current");
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var form = bulkFormOf(target);
    // Enter in a bulk field runs that field's action; on a row's checkbox it opens the row.
    if (form && event.key === "Enter" && !event.isComposing) {
      var action = target.dataset && target.dataset.enterAction;
      var button = action && form.querySelector('button[name="action"][value="' + action + '"]');
      if (button) {
        event.preventDefault();
        form.requestSubmit(button);
        return;
      }
    }
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (isTyping(target) || document.querySelector("dialog[open]")) return;
    var key = event.key;
    var inList = !!rowOf(target);
    var row = rowOf(document.activeElement);
    if (key === "?") {
      var dialog = document.getElementById("shortcuts");
      if (dialog && dialog.showModal) { event.preventDefault(); dialog.showModal(); }
    } else if (key === "j" || (key === "ArrowDown" && inList)) {
      if (move(1)) event.preventDefault();
    } else if (key === "k" || (key === "ArrowUp" && inList)) {
      if (move(-1)) event.preventDefault();
    } else if (key === "x" && row) {
      var box = row.querySelector('input[name="ids"]');
      if (box) { event.preventDefault(); box.click(); }
    } else if (key === "e" && row && row.dataset.editUrl) {
      event.preventDefault();
      window.location.assign(row.dataset.editUrl);
    } else if (key === "Enter" && row && target.type === "checkbox") {
      var link = row.querySelector(".prompt-row__name");
      if (link) { event.preventDefault(); link.click(); }
    }
  });
})();

// Confirmation dialog. A form, or its submit button, marked data-confirm="Question? Detail."
// asks in the page's own <dialog> (templates/includes/confirm_dialog.html) before it submits:
// the text up to the first question mark is the heading, the rest the explanation, and
// data-confirm-title / data-confirm-button name the heading and the confirm button instead.
// Confirming submits the form again with confirmed=1 (views that ask on a page without
// JavaScript skip that page). Esc, Cancel or a click outside cancel; Tab stays inside the
// dialog while it is open, and focus goes back to the button that opened it.
(function () {
  "use strict";
  var dialog = null;
  var pending = null;

  function parts(text) {
    var at = text.indexOf("? ");
    if (at !== -1) return { title: text.slice(0, at + 1), detail: text.slice(at + 2).trim() };
    if (/\?\s*$/.test(text)) return { title: text.trim(), detail: "" };
    return { title: "Are you sure?", detail: text };
  }

  function focusable(root) {
    var items = root.querySelectorAll('button, [href], input, select, textarea, [tabindex]:not([tabindex="-1"])');
    return Array.prototype.filter.call(items, function (item) {
      return !item.disabled && item.getClientRects().length > 0;
    });
  }

  function closed() {
    var options = pending;
    pending = null;
    if (!options) return;
    if (options.returnTo && options.returnTo.isConnected) options.returnTo.focus();
    if (dialog.returnValue === "confirm") options.onConfirm();
  }

  function setUp() {
    if (dialog) return dialog;
    dialog = document.getElementById("confirm-dialog");
    if (!dialog || typeof dialog.showModal !== "function") return (dialog = null);
    dialog.addEventListener("close", closed);
    // A click on the backdrop (outside the dialog's box) cancels, as Esc does.
    dialog.addEventListener("click", function (event) {
      var box = dialog.getBoundingClientRect();
      var inside = event.clientX >= box.left && event.clientX <= box.right &&
        event.clientY >= box.top && event.clientY <= box.bottom;
      if (event.target === dialog && !inside) dialog.close("cancel");
    });
    dialog.addEventListener("keydown", function (event) {
      if (event.key !== "Tab") return;
      var items = focusable(dialog);
      if (!items.length) return;
      var first = items[0];
      var last = items[items.length - 1];
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    });
    return dialog;
  }

  // Opens the dialog; false when the page has none (then the action goes ahead unasked, as it
  // would without JavaScript).
  function ask(options) {
    if (!setUp() || dialog.open) return false;
    var text = parts(options.question);
    var detail = dialog.querySelector(".confirm-dialog__text");
    dialog.querySelector(".confirm-dialog__title").textContent = options.title || text.title;
    detail.textContent = options.title ? options.question : text.detail;
    detail.hidden = !detail.textContent;
    var accept = dialog.querySelector("[data-confirm-accept]");
    accept.textContent = options.button || "Confirm";
    accept.classList.toggle("btn--danger", Boolean(options.danger));
    accept.classList.toggle("btn--primary", !options.danger);
    pending = options;
    dialog.returnValue = "";
    dialog.showModal();
    dialog.querySelector("[data-confirm-cancel]").focus();
    return true;
  }

  function label(element) {
    if (!element) return "";
    return (element.tagName === "INPUT" ? element.value : element.textContent).trim();
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter || null;
    var source = submitter && submitter.dataset.confirm ? submitter : form.dataset.confirm ? form : null;
    if (!source) return;
    if (form.dataset.confirmed) {
      delete form.dataset.confirmed;
      return;
    }
    var button = submitter || form.querySelector('button[type="submit"], button:not([type]), input[type="submit"]');
    var asked = ask({
      question: source.dataset.confirm,
      title: source.dataset.confirmTitle,
      button: source.dataset.confirmButton || label(button) || "Confirm",
      danger: Boolean(button && button.classList.contains("btn--danger")),
      returnTo: button || form,
      onConfirm: function () {
        if (!form.querySelector('input[name="confirmed"]')) {
          var flag = document.createElement("input");
          flag.type = "hidden";
          flag.name = "confirmed";
          flag.value = "1";
          form.appendChild(flag);
        }
        form.dataset.confirmed = "1";
        if (typeof form.requestSubmit !== "function") form.submit();
        else if (submitter) form.requestSubmit(submitter);
        else form.requestSubmit();
      }
    });
    if (asked) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // htmx elements other than forms (a button with hx-post, say) ask the same way.
  document.addEventListener("htmx:confirm", function (event) {
    var element = event.detail.elt;
    if (!element.dataset || !element.dataset.confirm || element.tagName === "FORM") return;
    var asked = ask({
      question: element.dataset.confirm,
      title: element.dataset.confirmTitle,
      button: element.dataset.confirmButton || label(element) || "Confirm",
      danger: element.classList.contains("btn--danger"),
      returnTo: element,
      onConfirm: function () { event.detail.issueRequest(true); }
    });
    if (asked) event.preventDefault();
  });
})();

// Tags and folders pages: a row opened for editing closes again on Esc (through its Cancel
// link, which brings the row back with its action focused), and a name opened for renaming
// starts selected, ready to be typed over.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || event.defaultPrevented || !event.target.closest) return;
    var row = event.target.closest("[data-inline-edit]");
    var cancel = row && row.querySelector("[data-inline-cancel]");
    if (!cancel) return;
    event.preventDefault();
    // The row comes back with its action marked autofocus, which htmx focuses as it settles;
    // if focus was left on the page itself meanwhile (the focused field was swapped out), the
    // action is focused here, so a keyboard user never loses their place.
    var parent = row.parentNode;
    document.addEventListener("htmx:afterSettle", function settled(settle) {
      var request = settle.detail.requestConfig;
      if (!request || request.elt !== cancel) return;
      document.removeEventListener("htmx:afterSettle", settled);
      var active = document.activeElement;
      if (active && active !== document.body && active.isConnected) return;
      var action = parent && parent.querySelector("[autofocus]");
      if (action) action.focus();
    });
    // htmx wires up swapped-in content only as it settles, a few milliseconds after the row
    // appears; an Esc pressed sooner would follow the link as a whole-page load and lose focus.
    if (window.htmx) window.htmx.process(cancel);
    cancel.click();
  });

  function selectName(root) {
    var input = root.querySelector('[data-inline-edit] input[type="text"][autofocus]');
    if (input && document.activeElement === input) input.select();
  }
  document.addEventListener("htmx:load", function (event) { selectName(event.detail.elt); });
  selectName(document);
})();

// Prompt pages: the colour theme's three states (follow the system, light, dark), the editor's
// variables and counts kept current as the user types, and Ctrl/Cmd+S to save the editor.
(function () {
  "use strict";
  var root = document.documentElement;
  var THEME_KEY = "pv-theme";
  var THEME_NAMES = { system: "follow the system", light: "light", dark: "dark" };
  var THEME_NEXT = { system: "Click to follow the system.", light: "Click for light.", dark: "Click for dark." };

  function systemTheme() {
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }

  function chosenTheme() {
    var theme = root.dataset.theme;
    return theme === "light" || theme === "dark" ? theme : "system";
  }

  // From "system" the first click shows the other look at once, the second the system's own
  // look chosen for good, the third goes back to following the system.
  function nextTheme(current) {
    var other = systemTheme() === "dark" ? "light" : "dark";
    if (current === "system") return other;
    if (current === other) return other === "dark" ? "light" : "dark";
    return "system";
  }

  function labelThemeToggles() {
    var current = chosenTheme();
    var label = "Colour theme: " + THEME_NAMES[current];
    document.querySelectorAll("[data-theme-toggle]").forEach(function (button) {
      button.setAttribute("aria-label", label);
      button.title = label + ". " + THEME_NEXT[nextTheme(current)];
    });
  }

  function applyTheme(theme) {
    root.dataset.theme = theme === "system" ? "auto" : theme;
    labelThemeToggles();
  }

  document.addEventListener("click", function (event) {
    if (!event.target.closest("[data-theme-toggle]")) return;
    var next = nextTheme(chosenTheme());
    applyTheme(next);
    try {
      if (next === "system") localStorage.removeItem(THEME_KEY);
      else localStorage.setItem(THEME_KEY, next);
    } catch (e) { /* private mode: the choice lasts for this page */ }
  });
  // A choice made in another tab applies here too.
  window.addEventListener("storage", function (event) {
    if (event.key !== THEME_KEY && event.key !== null) return;
    var theme = event.newValue;
    applyTheme(theme === "light" || theme === "dark" ? theme : "system");
  });
  if (window.matchMedia) {
    var scheme = window.matchMedia("(prefers-color-scheme: dark)");
    if (scheme.addEventListener) scheme.addEventListener("change", labelThemeToggles);
  }
  labelThemeToggles();

  // The editor's counts. VARIABLE is apps/prompts/variables.py's VARIABLE_RE with Python's
  // whitespace spelled out; characters are counted as Python does (code points, not UTF-16
  // units) and tokens estimated at four characters each, rounded up, as the content_stats
  // template filter does for the first render.
  var SPACE = "[\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*";
  var VARIABLE = new RegExp("\\{\\{" + SPACE + "([A-Za-z_][A-Za-z0-9_.\\-]{0,63})" + SPACE + "\\}\\}", "g");
  var SURROGATE_PAIR = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;
  var CHIPS_SHOWN = 50;

  function findVariables(text) {
    var seen = Object.create(null);
    var names = [];
    var match;
    VARIABLE.lastIndex = 0;
    while ((match = VARIABLE.exec(text)) !== null) {
      if (!seen[match[1]]) { seen[match[1]] = true; names.push(match[1]); }
    }
    return names;
  }

  function contentStats(text) {
    text = text.replace(/\r\n?/g, "\n");
    var characters = text.length - (text.match(SURROGATE_PAIR) || []).length;
    return { variables: findVariables(text), characters: characters, tokens: Math.ceil(characters / 4) };
  }

  window.PromptVault = window.PromptVault || {};
  window.PromptVault.findVariables = findVariables;
  window.PromptVault.contentStats = contentStats;

  function showStats(panel, text) {
    var stats = contentStats(text);
    var limit = parseInt(panel.dataset.limit, 10) || Infinity;
    var count = panel.querySelector("[data-variable-count]");
    var words = stats.variables.length
      ? stats.variables.length + " variable" + (stats.variables.length === 1 ? "" : "s") + ":"
      : "No variables";
    if (count && count.textContent !== words) count.textContent = words;
    var chips = panel.querySelector("[data-variable-chips]");
    var key = stats.variables.join("\n");
    if (chips && chips.dataset.names !== key) {
      chips.dataset.names = key;
      chips.textContent = "";
      stats.variables.slice(0, CHIPS_SHOWN).forEach(function (name) {
        var chip = document.createElement("code");
        chip.className = "var";
        chip.textContent = name;
        chips.appendChild(chip);
      });
      if (stats.variables.length > CHIPS_SHOWN) {
        var more = document.createElement("span");
        more.textContent = "and " + (stats.variables.length - CHIPS_SHOWN) + " more";
        chips.appendChild(more);
      }
    }
    var characters = panel.querySelector("[data-char-count]");
    if (characters) characters.textContent = stats.characters.toLocaleString("en-US");
    var tokens = panel.querySelector("[data-token-count]");
    if (tokens) tokens.textContent = stats.tokens.toLocaleString("en-US");
    var size = characters && characters.parentElement;
    if (size) size.classList.toggle("is-over", stats.characters > limit);
  }

  function statsPanelOf(textarea) {
    var field = textarea.closest(".field");
    return field ? field.querySelector("[data-content-stats]") : null;
  }

  // Counted once per frame at most, however fast the keys come.
  var pending = null;
  document.addEventListener("input", function (event) {
    if (event.target.tagName !== "TEXTAREA" || !statsPanelOf(event.target)) return;
    var textarea = event.target;
    if (pending) return;
    pending = window.requestAnimationFrame(function () {
      pending = null;
      showStats(statsPanelOf(textarea), textarea.value);
    });
  });
  // The browser may bring back typed text (back button, restored tab): count what is there.
  function countAll() {
    document.querySelectorAll("[data-content-stats]").forEach(function (panel) {
      var textarea = panel.closest(".field").querySelector("textarea");
      if (textarea) showStats(panel, textarea.value);
    });
  }
  countAll();
  window.addEventListener("pageshow", countAll);

  // Ctrl+S (Cmd+S on a Mac) saves the editor's form, from the textarea or anywhere on the page.
  var mac = /Mac|iPhone|iPad/.test(navigator.platform || "");
  document.querySelectorAll("[data-save-hint]").forEach(function (hint) {
    var key = hint.querySelector("[data-modifier-key]");
    if (key && mac) key.textContent = "⌘";
    hint.hidden = false;
  });
  document.addEventListener("keydown", function (event) {
    if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
    if (event.key !== "s" && event.key !== "S") return;
    var form = document.querySelector("form[data-save-shortcut]");
    if (!form) return;
    event.preventDefault();
    // A held key repeats: one save only, and none while a dialog is asking something.
    if (event.repeat || form.dataset.saving || document.querySelector("dialog[open]")) return;
    form.dataset.saving = "true";
    var button = form.querySelector("[data-save-button]");
    if (button) form.requestSubmit(button);
    else form.requestSubmit();
  });
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-save-shortcut]").forEach(function (form) { delete form.dataset.saving; });
  });
})();

// Prompt check (templates/prompts/analysis.html): the panel asks for a new check itself when
// typing pauses (htmx). Here: a finding with a span selects that text in the textarea, and
// "Apply" puts its fix there, but only while the text is still the one checked; otherwise it
// asks for a fresh check first. Offsets come in code points and are turned into the
// textarea's UTF-16 ones.
(function () {
  "use strict";
  var checked = null;
  var sent = null;

  function source() { return document.getElementById("id_content"); }

  function utf16Offset(text, codePoints) {
    var offset = 0;
    for (var seen = 0; seen < codePoints && offset < text.length; seen++) {
      var code = text.charCodeAt(offset);
      var next = text.charCodeAt(offset + 1);
      offset += code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
    }
    return offset;
  }

  function rememberChecked() {
    var area = source();
    if (area && document.querySelector("[data-analysis][hx-post]")) checked = area.value;
  }
  rememberChecked();
  window.addEventListener("pageshow", rememberChecked);

  document.addEventListener("htmx:configRequest", function (event) {
    if (!event.detail.elt.matches("[data-analysis]")) return;
    var area = source();
    sent = area ? area.value : null;
  });
  // A refusal (too long, too many checks) is a panel too: show it in place of the old one.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (!event.detail.elt.matches("[data-analysis]")) return;
    var status = event.detail.xhr.status;
    if (status === 400 || status === 429) { event.detail.shouldSwap = true; event.detail.isError = false; }
  });
  // A criterion opened or closed by hand stays so when the panel is redrawn.
  var opened = Object.create(null);
  document.addEventListener("click", function (event) {
    var summary = event.target.closest("[data-analysis] [data-criterion] summary");
    if (!summary) return;
    opened[summary.closest("[data-criterion]").dataset.criterion] = !summary.parentElement.open;
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    if (!(event.detail.elt.matches && event.detail.elt.matches("[data-analysis]"))) return;
    checked = sent;
    document.querySelectorAll("[data-analysis] [data-criterion]").forEach(function (item) {
      var details = item.querySelector("details");
      if (details && item.dataset.criterion in opened) details.open = opened[item.dataset.criterion];
    });
  });

  function select(area, start, end) {
    // Focusing after the selection is set scrolls the textarea to it.
    area.blur();
    area.setSelectionRange(start, end);
    area.focus();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-analysis] [data-finding-start]");
    var area = source();
    if (!button || !area) return;
    var start = utf16Offset(area.value, parseInt(button.dataset.findingStart, 10));
    var end = utf16Offset(area.value, parseInt(button.dataset.findingEnd, 10));
    if (!button.hasAttribute("data-apply-fix")) {
      select(area, start, end);
      return;
    }
    if (area.value !== checked) {
      // Typed since the check: its offsets may point elsewhere. Check again instead.
      area.dispatchEvent(new Event("input", { bubbles: true }));
      return;
    }
    var fix = button.dataset.fix || "";
    select(area, start, end);
    // execCommand keeps the change in the textarea's undo history; setRangeText is the fallback.
    var done = false;
    try { done = document.execCommand(fix ? "insertText" : "delete", false, fix); } catch (e) { done = false; }
    if (!done || area.value === checked) {
      area.setRangeText(fix, start, end, "end");
      area.dispatchEvent(new Event("input", { bubbles: true }));
    }
  });
})();
