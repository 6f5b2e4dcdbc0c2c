// Playground: send the pasted page to /v1/clean, then show the input with every stripped
// segment highlighted by kind, beside the cleaned article and its metadata.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const input = $("input");
  const cleanButton = $("clean");
  const editButton = $("edit");
  const downloadButton = $("download");
  let lastResult = null;

  function format() {
    return $("format-html").checked ? "html" : "text";
  }

  function setStatus(text) {
    $("status").textContent = text;
  }

  function showError(message) {
    const box = $("error");
    box.textContent = message;
    box.hidden = !message;
  }

  function element(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  async function cleanPage() {
    const page = input.value;
    if (!page.trim()) {
      showError("Paste a page first.");
      return;
    }
    const payload = { [format()]: page };
    const url = $("url").value.trim();
    if (url) payload.url = url;
    const headers = { "Content-Type": "application/json", Accept: "application/json" };
    const token = $("token").value.trim();
    if (token) headers.Authorization = "Bearer " + token;

    showError("");
    setStatus("Cleaning…");
    cleanButton.disabled = true;
    const started = performance.now();
    try {
      const response = await fetch("/v1/clean", {
        method: "POST", headers, body: JSON.stringify(payload),
      });
      const body = await response.json().catch(() => null);
      if (!response.ok) {
        const detail = body && (body.detail || body.title);
        throw new Error(`${response.status}: ${detail || response.statusText}`);
      }
      const ms = Math.round(performance.now() - started);
      show(page, body);
      setStatus(`Cleaned in ${ms} ms · ${body.stripped.length} stripped segments`);
    } catch (error) {
      setStatus("");
      showError(error instanceof TypeError ? "The service could not be reached." : error.message);
    } finally {
      cleanButton.disabled = false;
    }
  }

  function show(page, result) {
    lastResult = result;
    // Offsets index the input as sent, or the text the HTML rendered to.
    const source = result.input && result.input.format === "html" ? result.rendered_text : page;
    renderAnnotated(source || "", result.stripped || []);
    $("annotated-note").textContent = result.input && result.input.format === "html"
      ? "The text the HTML rendered to; stripped segments are highlighted."
      : "Your text; stripped segments are highlighted.";
    renderMeta(result);
    renderLegend(result.stripped || []);
    renderBody(result);
    input.hidden = true;
    $("annotated-wrap").hidden = false;
    editButton.hidden = false;
    $("empty").hidden = true;
    $("result").hidden = false;
    downloadButton.disabled = false;
  }

  function renderAnnotated(source, stripped) {
    // The service counts code points; JavaScript strings count UTF-16 units.
    const chars = Array.from(source);
    const target = $("annotated");
    const pieces = document.createDocumentFragment();
    let cursor = 0;
    const segments = stripped.slice().sort((a, b) => a.start - b.start);
    for (const segment of segments) {
      const start = Math.max(segment.start, cursor);
      const end = Math.min(segment.end, chars.length);
      if (end <= start) continue;
      if (start > cursor) pieces.append(chars.slice(cursor, start).join(""));
      const mark = element("mark", {
        class: "strip",
        "data-kind": segment.kind,
        title: `${segment.kind} · ${segment.rule || ""}`,
      }, chars.slice(start, end).join(""));
      pieces.append(mark);
      cursor = end;
    }
    if (cursor < chars.length) pieces.append(chars.slice(cursor).join(""));
    target.replaceChildren(pieces);
  }

  function renderMeta(result) {
    const meta = $("meta");
    meta.replaceChildren();
    const add = (label, value, id) => {
      meta.append(element("dt", {}, label));
      const dd = element("dd", { id: "meta-" + id });
      if (value === null || value === undefined || (Array.isArray(value) && !value.length)) {
        dd.className = "none";
        dd.textContent = "none";
      } else if (value instanceof Node) {
        dd.append(value);
      } else {
        dd.textContent = value;
      }
      meta.append(dd);
    };
    add("Title", result.title, "title");
    add("Authors", (result.authors || []).join(", ") || null, "authors");
    add("Byline", result.byline, "byline");
    add("Date", result.date, "date");
    add("Captions", captionList(result.captions || []), "captions");
    add("Outlet", result.outlet || "generic (no rule set)", "outlet");
    add("Fingerprint", element("code", {}, result.fingerprint), "fingerprint");
  }

  function captionList(captions) {
    if (!captions.length) return null;
    const list = element("ul");
    for (const caption of captions) {
      const item = element("li", {}, caption.text || "");
      if (caption.credit) {
        item.append(element("span", { class: "credit" }, (caption.text ? " — " : "") + caption.credit));
      }
      list.append(item);
    }
    return list;
  }

  function renderLegend(stripped) {
    const counts = new Map();
    for (const segment of stripped) counts.set(segment.kind, (counts.get(segment.kind) || 0) + 1);
    const legend = $("legend");
    legend.replaceChildren();
    for (const [kind, count] of counts) {
      legend.append(element("span", { class: "chip", "data-kind": kind }, `${kind} ${count}`));
    }
  }

  function renderBody(result) {
    const body = $("body");
    body.replaceChildren();
    if (result.title) body.append(element("h3", {}, result.title));
    const paragraphs = result.paragraphs || [];
    if (!paragraphs.length) body.append(element("p", { class: "none" }, "No article body found."));
    for (const paragraph of paragraphs) body.append(element("p", {}, paragraph));
  }

  function download() {
    if (!lastResult) return;
    const blob = new Blob([JSON.stringify(lastResult, null, 2) + "\n"], { type: "application/json" });
    const link = element("a", { href: URL.createObjectURL(blob), download: "cleaned.json" });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  }

  function edit() {
    input.hidden = false;
    $("annotated-wrap").hidden = true;
    editButton.hidden = true;
    input.focus();
  }

  cleanButton.addEventListener("click", cleanPage);
  editButton.addEventListener("click", edit);
  downloadButton.addEventListener("click", download);
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) cleanPage();
  });
})();
