// Breakdown page behaviours, driven by data- attributes (no inline scripts).
// [data-scene-text][data-tag-form=ID]: selecting words in the scene fills the tag form's start/end
// (character offsets into the scene text, read from each run's data-offset) and the element name.
// [data-clear-selection]: tag the whole scene instead. [data-key]: a one-key shortcut for a link.
(function () {
  "use strict";

  function runOffset(node, offset) {
    var el = node.nodeType === 3 ? node.parentElement : node;
    var run = el && el.closest("[data-offset]");
    if (!run) return null;
    if (node.nodeType !== 3) offset = offset > 0 ? run.textContent.length : 0;
    return parseInt(run.getAttribute("data-offset"), 10) + offset;
  }

  function formFor(container) {
    var id = container.getAttribute("data-tag-form");
    return id ? document.getElementById(id) : null;
  }

  function setSelection(form, start, end, text) {
    form.querySelector("[name=start]").value = start === null ? "" : start;
    form.querySelector("[name=end]").value = end === null ? "" : end;
    var label = form.querySelector("[data-selection-label]");
    if (label) {
      label.textContent = start === null ? "No text selected: the tag covers the whole scene." : "Selected: “" + text + "”";
      label.classList.toggle("has-selection", start !== null);
    }
    if (text) {
      var name = form.querySelector("[name=name]");
      if (name) name.value = text.replace(/\s+/g, " ").trim();
    }
  }

  document.addEventListener("mouseup", function () {
    var sel = window.getSelection();
    if (!sel || sel.isCollapsed || sel.rangeCount === 0) return;
    var range = sel.getRangeAt(0);
    var container = range.commonAncestorContainer;
    container = (container.nodeType === 3 ? container.parentElement : container).closest("[data-scene-text]");
    if (!container) return;
    var form = formFor(container);
    if (!form) return;
    var a = runOffset(range.startContainer, range.startOffset);
    var b = runOffset(range.endContainer, range.endOffset);
    if (a === null || b === null || b <= a) return;
    var text = sel.toString().trim();
    if (!text) return;
    // Trim the blank space a double-click or drag picks up at either end.
    var raw = sel.toString();
    a += raw.length - raw.replace(/^\s+/, "").length;
    b -= raw.length - raw.replace(/\s+$/, "").length;
    setSelection(form, a, b, text.length > 200 ? text.slice(0, 200) : text);
    var category = form.querySelector("[name=category]");
    if (category) category.focus({ preventScroll: true });
  });

  document.addEventListener("click", function (event) {
    var clear = event.target.closest("[data-clear-selection]");
    if (!clear) return;
    setSelection(clear.form, null, null, "");
    var name = clear.form.querySelector("[name=name]");
    if (name) name.focus();
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var t = event.target;
    if (t && (t.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName))) return;
    var link = document.querySelector('[data-key="' + event.key.replace(/["\\]/g, "") + '"]');
    if (link) { event.preventDefault(); link.click(); }
  });
})();
