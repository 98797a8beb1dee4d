// Stripboard: select strips (click, Space, Shift+click), move them by drag and drop or keyboard
// (Alt+Up/Down or k/j, b for the boneyard, d for a day break after), post to the server and
// swap in the board it answers. A 409 (someone else changed the version) brings the fresh board
// and its message. Everything is wired by event delegation on data- attributes.
(() => {
  const selected = new Set();
  let anchor = null;
  let dragging = null;

  const boardEl = () => document.querySelector("[data-board]");
  const csrf = () => {
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; } catch (e) { return ""; }
  };
  const canEdit = () => boardEl()?.dataset.canEdit === "1";
  const stripsIn = (list) => Array.from(list.querySelectorAll(":scope > [data-strip]"));
  const listOf = (el) => el.closest("[data-section]");

  function paintSelection() {
    document.querySelectorAll("[data-strip]").forEach((el) => {
      const on = selected.has(el.dataset.strip);
      el.classList.toggle("sb-selected", on);
      el.setAttribute("aria-selected", on ? "true" : "false");
    });
    const count = document.querySelector("[data-selcount]");
    if (count) count.textContent = selected.size ? `${selected.size} selected` : "No strips selected";
    // Split and estimate apply to exactly one scene strip.
    const single = document.querySelector("[data-single-strip]");
    if (single) {
      const only = selected.size === 1 && document.querySelector(`[data-strip="${[...selected][0]}"][data-kind="scene"]`);
      single.hidden = !only;
    }
  }

  function status(text, error) {
    const el = document.querySelector("[data-status]");
    if (!el) return;
    el.textContent = text;
    el.classList.toggle("sb-status-error", Boolean(error));
  }

  function orderedSelection() {
    const all = Array.from(document.querySelectorAll("[data-section] > [data-strip]"));
    return all.filter((el) => selected.has(el.dataset.strip)).map((el) => el.dataset.strip);
  }

  async function post(url, data, focusId) {
    const board = boardEl();
    data.set("revision", board.dataset.revision);
    status("Saving…");
    board.classList.add("sb-busy");
    let response;
    try {
      response = await fetch(url, {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "X-CSRFToken": csrf(), "HX-Request": "true", "X-Requested-With": "fetch" },
      });
    } catch (e) {
      board.classList.remove("sb-busy");
      status("Could not reach the server; nothing was saved. Check your connection and try again.", true);
      return;
    }
    const html = await response.text();
    if (response.status >= 500 || !html.includes("data-board")) {
      board.classList.remove("sb-busy");
      status(response.status === 403 ? "You may not change this version." : `The server answered ${response.status}; nothing was saved.`, true);
      return;
    }
    const scrollY = window.scrollY;
    board.outerHTML = html;
    window.scrollTo(0, scrollY);
    if (response.status === 409) selected.clear();
    paintSelection();
    const target = focusId && document.querySelector(`[data-strip="${focusId}"]`);
    if (target) target.focus({ preventScroll: false });
  }

  function move(ids, to, index) {
    const board = boardEl();
    const data = new FormData();
    ids.forEach((id) => data.append("strip_ids", id));
    data.set("to", to);
    if (index !== null && index !== undefined) data.set("index", String(index));
    return post(board.dataset.moveUrl, data, ids[0]);
  }

  // Index in the target list, counted without the moving strips, of the row `before` (or the end).
  function indexBefore(list, before, moving) {
    const rows = stripsIn(list).filter((el) => !moving.includes(el.dataset.strip));
    if (!before || !before.dataset.strip) return rows.length;
    const i = rows.indexOf(before);
    return i < 0 ? rows.length : i;
  }

  function shift(delta) {
    const ids = orderedSelection();
    if (!ids.length) return;
    const first = document.querySelector(`[data-strip="${ids[0]}"]`);
    const list = listOf(first);
    const rows = stripsIn(list).filter((el) => !ids.includes(el.dataset.strip));
    const before = stripsIn(list).slice(0, stripsIn(list).indexOf(first)).filter((el) => !ids.includes(el.dataset.strip)).length;
    const index = Math.max(0, Math.min(rows.length, before + delta));
    if (index === before) return;
    move(ids, list.dataset.section, index);
  }

  function toggle(el, range) {
    const id = el.dataset.strip;
    if (range && anchor) {
      const rows = stripsIn(listOf(el));
      const a = rows.findIndex((r) => r.dataset.strip === anchor);
      const b = rows.indexOf(el);
      if (a >= 0) {
        rows.slice(Math.min(a, b), Math.max(a, b) + 1).forEach((r) => selected.add(r.dataset.strip));
        paintSelection();
        return;
      }
    }
    if (selected.has(id)) selected.delete(id); else selected.add(id);
    anchor = id;
    paintSelection();
  }

  function addBreakOrBanner(kind) {
    const board = boardEl();
    const ids = orderedSelection();
    const data = new FormData();
    if (ids.length) {
      const last = document.querySelector(`[data-strip="${ids[ids.length - 1]}"]`);
      if (listOf(last).dataset.section === "board") {
        data.set("index", String(stripsIn(listOf(last)).indexOf(last) + 1));
      }
    }
    if (kind === "banner") {
      data.set("banner_kind", document.querySelector("[data-banner-kind]")?.value || "note");
      data.set("text", document.querySelector("[data-banner-text]")?.value || "");
      return post(board.dataset.bannerUrl, data);
    }
    return post(board.dataset.breakUrl, data);
  }

  document.addEventListener("click", (event) => {
    if (!boardEl()) return;
    const action = event.target.closest("[data-action]");
    if (action && action.closest("[data-board]")) {
      const ids = orderedSelection();
      const name = action.dataset.action;
      if (name === "break" || name === "banner") { addBreakOrBanner(name); return; }
      if (!ids.length) { status("Select one or more strips first (click, or Space on a focused strip).", true); return; }
      if (name === "up") shift(-1);
      else if (name === "down") shift(1);
      else if (name === "boneyard") move(ids, "boneyard", null);
      else if (name === "board") move(ids, "board", null);
      return;
    }
    if (event.target.closest("[data-select-matching]")) {
      document.querySelectorAll('[data-kind="scene"]:not(.sb-dim)').forEach((el) => selected.add(el.dataset.strip));
      paintSelection();
      return;
    }
    const strip = event.target.closest("[data-strip]");
    if (strip && !event.target.closest("form, button, a, details, input, select, label")) toggle(strip, event.shiftKey);
  });

  document.addEventListener("keydown", (event) => {
    if (event.target.closest?.("input, select, textarea, summary, button")) return;  // typing in an inline form
    const strip = event.target.closest?.("[data-strip]");
    if (!strip || !canEdit() && event.key !== " ") return;
    const key = event.key;
    if (key === " " || key === "Enter") {
      event.preventDefault();
      toggle(strip, event.shiftKey);
      return;
    }
    if (!selected.size && ["j", "k", "b", "d"].includes(key) || (event.altKey && (key === "ArrowUp" || key === "ArrowDown") && !selected.size)) {
      selected.add(strip.dataset.strip);
      paintSelection();
    }
    if ((event.altKey && key === "ArrowUp") || key === "k") { event.preventDefault(); shift(-1); return; }
    if ((event.altKey && key === "ArrowDown") || key === "j") { event.preventDefault(); shift(1); return; }
    if (key === "b") { event.preventDefault(); move(orderedSelection(), "boneyard", null); return; }
    if (key === "d") { event.preventDefault(); addBreakOrBanner("break"); return; }
    if (key === "Escape") { selected.clear(); paintSelection(); return; }
    if (key === "ArrowUp" || key === "ArrowDown") {
      event.preventDefault();
      const rows = Array.from(document.querySelectorAll("[data-section] > [data-strip], [data-section] > .sb-day"));
      const i = rows.indexOf(strip.closest("li"));
      const next = rows[i + (key === "ArrowUp" ? -1 : 1)];
      if (next) next.focus();
    }
  });

  document.addEventListener("dragstart", (event) => {
    const strip = event.target.closest?.("[data-strip]");
    if (!strip || !canEdit()) return;
    if (!selected.has(strip.dataset.strip)) { selected.clear(); selected.add(strip.dataset.strip); paintSelection(); }
    dragging = orderedSelection();
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", dragging.join(","));
    document.querySelectorAll(".sb-selected").forEach((el) => el.classList.add("sb-dragging"));
  });

  function clearMarks() {
    document.querySelectorAll(".sb-drop-before").forEach((el) => el.classList.remove("sb-drop-before"));
  }

  document.addEventListener("dragover", (event) => {
    if (!dragging) return;
    const list = event.target.closest?.("[data-section]");
    if (!list) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    clearMarks();
    const row = event.target.closest("li");
    if (row) row.classList.add("sb-drop-before");
  });

  document.addEventListener("dragend", () => {
    dragging = null;
    clearMarks();
    document.querySelectorAll(".sb-dragging").forEach((el) => el.classList.remove("sb-dragging"));
  });

  document.addEventListener("drop", (event) => {
    if (!dragging) return;
    const list = event.target.closest?.("[data-section]");
    if (!list) return;
    event.preventDefault();
    const row = event.target.closest("li");
    const ids = dragging;
    const index = indexBefore(list, row && row.dataset.strip ? row : null, ids);
    dragging = null;
    clearMarks();
    move(ids, list.dataset.section, index);
  });

  // Forms inside the board tools: post with the selection and swap the board.
  document.addEventListener("submit", (event) => {
    const form = event.target.closest("[data-board-form]");
    if (!form || !boardEl()) return;
    event.preventDefault();
    const data = new FormData(form);
    let url = form.action;
    if (form.hasAttribute("data-needs-one")) {
      const ids = orderedSelection();
      if (ids.length !== 1) { status("Select exactly one scene strip first.", true); return; }
      url = form.dataset.stripUrl.replace("/strips/0/", `/strips/${ids[0]}/`);
      post(url, data, ids[0]);
      return;
    }
    if (form.hasAttribute("data-needs-selection")) {
      const ids = orderedSelection();
      if (!ids.length) { status("Select one or more strips first (click, or Space on a focused strip).", true); return; }
      ids.forEach((id) => data.append("strip_ids", id));
    }
    post(url, data);
  });

  document.addEventListener("change", (event) => {
    const nav = event.target.closest?.("[data-navigate]");
    if (nav) window.location.href = nav.value;
  });
})();
