// Search: runs the index critique writes under search/ (see src/search/mod.rs), with no
// server. The manifest says which vocabulary and postings chunk holds a word; only those
// chunks, the facet codes in use and the metadata of the results shown are fetched. The
// query and filters live in the URL (?q=upgrade&verdict=unproven&reliability=7-10).
// The index itself is read by search-index.js.
(function () {
  "use strict";
  const root = document.getElementById("search");
  if (!root || !window.critiqueIndex || !window.URLSearchParams) return;
  const base = root.getAttribute("data-base") || "/";
  // The page's words, in the site's language, from its data-t-* attributes (English where a
  // site's own search.html gives none), with each {name} filled in.
  const t = (key, fallback, values) => {
    let text = root.getAttribute("data-t-" + key);
    if (text === null) text = fallback;
    for (const name in values || {}) text = text.split("{" + name + "}").join(String(values[name]));
    return text;
  };
  const input = document.getElementById("search-q");
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  const more = document.getElementById("search-more");
  const panel = document.getElementById("search-facets");
  const PAGE = 10;
  const KINDS = [
    ["review", t("kinds-review", "Reviews"), t("kind-review", "Review")],
    ["question", t("kinds-question", "Questions"), t("kind-question", "Question")],
    ["project", t("kinds-project", "Projects"), t("kind-project", "Project")],
  ];
  const LAZY = {
    status: t("question-status", "Question status"), project: t("project", "Project"), author: t("author", "Author"),
    tag: t("tag", "Tag"), finding: t("claims-found", "Claims found"),
  };

  let index = null, manifest = null, docs = 0, seq = 0, shown = 0, results = [], marks = [];
  let get, words, fold, code;
  const facets = {}; // name -> { values: [[key, label]], of(doc) -> code(s), none, group, boxes }
  const state = { q: "", sel: {}, ranges: {} };

  // ---- facets ----
  // Documents come in index order: each review (by slug) with its questions, then the
  // projects. ageOf orders them newest first: a review's age in days, its questions' too.
  let entryOf, kindOf, questionOf, ageOf;
  function layout(core) {
    entryOf = new Int32Array(docs); kindOf = new Uint8Array(docs); questionOf = new Int32Array(docs).fill(-1);
    ageOf = new Int32Array(docs).fill(0x7fffffff);
    let d = 0, q = 0;
    for (let r = 0; r < manifest.reviews; r++) {
      const age = code(core.age.c, r, core.age.w);
      entryOf[d] = r; kindOf[d] = 0; ageOf[d++] = age;
      for (let n = code(core.questions.c, r, core.questions.w); n > 0; n--) {
        entryOf[d] = r; kindOf[d] = 1; ageOf[d] = age; questionOf[d++] = q++;
      }
    }
    for (let p = 0; p < manifest.projects; p++) { entryOf[d] = manifest.reviews + p; kindOf[d++] = 2; }
  }
  function byEntry(f) { return (d) => code(f.c, entryOf[d], f.w); }
  function addFacet(name, values, of, group) {
    facets[name] = { values, of, none: values.length, group, boxes: [], counts: null };
    buildChoices(name);
  }
  async function loadLazy(name) {
    if (facets[name]) return;
    const f = await get("facets/" + name + ".json");
    if (facets[name]) return;
    let of = byEntry(f), values = f.values;
    if (name === "tag" || name === "author" || name === "finding") {
      const lists = f.c.split(".");
      of = (d) => { const s = lists[entryOf[d]], out = []; for (let i = 0; i < s.length; i += f.w) out.push(code(s, i / f.w, f.w)); return out; };
    } else if (name === "status") {
      // One code per question, in document order.
      values = manifest.statuses;
      of = (d) => (questionOf[d] < 0 ? values.length : code(f.c, questionOf[d], f.w));
    }
    addFacet(name, values, of, panel.querySelector("[data-facet=" + name + "]"));
  }
  async function loadScores() {
    if (facets.scores) return;
    const f = await get("facets/scores.json");
    if (facets.scores) return;
    facets.scores = f;
    buildRanges(f);
  }
  function passes(v, sel) {
    if (Array.isArray(v)) return v.some((x) => sel.has(x));
    return sel.has(v);
  }

  // ---- the panel ----
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const k in attrs || {}) e.setAttribute(k, attrs[k]);
    for (const c of children) e.append(c);
    return e;
  }
  function buildPanel() {
    for (const [name, label] of [["type", t("type", "Type")], ["verdict", t("verdict", "Verdict")]]) {
      panel.append(el("fieldset", { class: "facet", "data-facet": name }, el("legend", {}, label)));
    }
    for (const name in LAZY) {
      const d = el("details", { class: "facet", "data-facet": name }, el("summary", {}, LAZY[name]));
      d.addEventListener("toggle", () => { if (d.open) loadLazy(name).then(run); });
      panel.append(d);
    }
    const scores = el("details", { class: "facet", "data-facet": "scores" }, el("summary", {}, t("scores", "Scores")));
    scores.addEventListener("toggle", () => { if (scores.open) loadScores().then(run); });
    panel.append(scores);
  }
  function buildChoices(name) {
    const f = facets[name];
    const box = el("ul", { class: "choices" });
    f.values.forEach(([key, label], v) => {
      const cb = el("input", { type: "checkbox", name, value: key });
      cb.checked = (state.sel[name] || []).includes(key);
      cb.addEventListener("change", () => { toggle(name, key, cb.checked); });
      const count = el("span", { class: "count" });
      const li = el("li", {}, el("label", {}, cb, " " + label + " ", count));
      f.boxes[v] = { li, cb, count };
      box.append(li);
    });
    f.group.append(box);
  }
  function buildRanges(f) {
    const [lo, hi] = manifest.scale;
    const group = panel.querySelector("[data-facet=scores]");
    f.selects = manifest.ranges.map(([param, label], i) => {
      const make = (which) => {
        const s = el("select", { name: param + "-" + which, "aria-label": which === "min" ? t("at-least", "{label}: at least", { label }) : t("at-most", "{label}: at most", { label }) });
        for (let v = lo; v <= hi; v++) s.append(el("option", { value: String(v) }, String(v)));
        s.addEventListener("change", () => setRange(param, +min.value, +max.value));
        return s;
      };
      const min = make("min"), max = make("max");
      const fs = el("fieldset", { class: "range" }, el("legend", {}, label), min, t("to", " to "), max);
      group.append(fs);
      return { param, min, max, column: i };
    });
    syncRanges();
  }
  function syncRanges() {
    const f = facets.scores;
    if (!f || !f.selects) return;
    for (const s of f.selects) {
      const r = state.ranges[s.param] || manifest.scale;
      s.min.value = String(r[0]); s.max.value = String(r[1]);
    }
  }
  function toggle(name, key, on) {
    const sel = (state.sel[name] = (state.sel[name] || []).filter((k) => k !== key));
    if (on) sel.push(key);
    if (!sel.length) delete state.sel[name];
    commit(true);
  }
  function setRange(param, lo, hi) {
    const [min, max] = manifest.scale;
    if (lo > hi) [lo, hi] = [hi, lo];
    if (lo <= min && hi >= max) delete state.ranges[param]; else state.ranges[param] = [lo, hi];
    syncRanges();
    commit(true);
  }

  // ---- the URL ----
  function readUrl() {
    const p = new URLSearchParams(location.search);
    state.q = p.get("q") || "";
    state.sel = {}; state.ranges = {};
    for (const name of ["type", "verdict", "status", "project", "author", "tag", "finding"]) {
      const v = p.getAll(name).filter(Boolean);
      if (v.length) state.sel[name] = v;
    }
    for (const [param] of manifest.ranges) {
      const m = /^(-?\d*)-(-?\d*)$/.exec(p.get(param) || "") || /^(-?\d+)()$/.exec(p.get(param) || "");
      if (!m) continue;
      const lo = m[1] === "" ? manifest.scale[0] : +m[1], hi = m[2] === "" ? manifest.scale[1] : +m[2];
      state.ranges[param] = [Math.min(lo, hi), Math.max(lo, hi)];
    }
    input.value = state.q;
    for (const name in facets) {
      const f = facets[name];
      if (f.boxes) f.values.forEach(([key], v) => { f.boxes[v].cb.checked = (state.sel[name] || []).includes(key); });
    }
    syncRanges();
  }
  function url() {
    const p = new URLSearchParams();
    if (state.q) p.set("q", state.q);
    for (const name in state.sel) for (const v of state.sel[name]) p.append(name, v);
    for (const param in state.ranges) p.set(param, state.ranges[param].join("-"));
    const s = p.toString();
    return location.pathname + (s ? "?" + s : "");
  }
  let typingTimer = 0;
  function commit(push) {
    const target = url();
    if (target !== location.pathname + location.search) history[push ? "pushState" : "replaceState"](null, "", target);
    run();
  }

  // ---- running a search ----
  async function run() {
    const mine = ++seq;
    const q = state.q.trim() ? state.q : "";
    for (const name in LAZY) if (state.sel[name]) await loadLazy(name);
    if (Object.keys(state.ranges).length) await loadScores();
    const found = q ? await index.match(state.q) : null;
    if (mine !== seq) return;
    const score = found && found.score;
    marks = found ? found.marks : [];
    const active = [];
    for (const name in state.sel) {
      const f = facets[name];
      if (!f) continue;
      const keys = new Set(state.sel[name]);
      const sel = new Set(f.values.map(([k], v) => (keys.has(k) ? v : -1)).filter((v) => v >= 0));
      active.push({ name, test: (d) => passes(f.of(d), sel) });
    }
    const sf = facets.scores;
    if (sf) manifest.ranges.forEach(([param], i) => {
      const r = state.ranges[param];
      if (!r) return;
      const low = r[0] - manifest.scale[0], high = r[1] - manifest.scale[0];
      active.push({ name: param, test: (d) => { const v = code(sf.c[i], entryOf[d], sf.w); return v >= low && v <= high; } });
    });
    // Counts: a document counts for a facet's values if it passes every other facet.
    for (const name in facets) if (facets[name].values) facets[name].counts = new Int32Array(facets[name].values.length);
    const hist = sf ? manifest.ranges.map(() => new Int32Array(manifest.scale[1] - manifest.scale[0] + 2)) : [];
    results = [];
    for (let d = 0; d < docs; d++) {
      if (score && !(score[d] > 0)) continue;
      let failed = null, fails = 0;
      for (const a of active) if (!a.test(d)) { failed = a.name; if (++fails > 1) break; }
      if (fails > 1) continue;
      if (fails === 0 && (q || active.length)) results.push(d);
      for (const name in facets) {
        const f = facets[name];
        if (!f.values || (fails && failed !== name)) continue;
        const v = f.of(d);
        if (Array.isArray(v)) v.forEach((x) => f.counts[x]++); else if (v < f.none) f.counts[v]++;
      }
      if (sf) manifest.ranges.forEach(([param], i) => { if (!fails || failed === param) hist[i][code(sf.c[i], entryOf[d], sf.w)]++; });
    }
    // Best first; among equals (all, with no query) newest first, then in index order.
    results.sort(score ? (a, b) => score[b] - score[a] || ageOf[a] - ageOf[b] || a - b : (a, b) => ageOf[a] - ageOf[b] || a - b);
    showCounts(hist);
    list.textContent = "";
    shown = 0;
    if (!q && !active.length) {
      const counts = { reviews: manifest.reviews, questions: manifest.questions, projects: manifest.projects };
      status.textContent = t("prompt", "Type to search {reviews} reviews, {questions} questions and {projects} projects, or choose a filter.", counts);
      more.hidden = true;
      return;
    }
    const n = results.length, form = n === 0 ? "zero" : n === 1 ? "one" : "other";
    status.textContent = t("results-" + form, n === 1 ? "{n} result" : "{n} results", { n });
    await showMore(mine);
  }
  function showCounts(hist) {
    for (const name in facets) {
      const f = facets[name];
      if (!f.boxes) continue;
      f.values.forEach((_, v) => {
        const b = f.boxes[v];
        b.count.textContent = "(" + f.counts[v] + ")";
        b.li.hidden = f.counts[v] === 0 && !b.cb.checked && f.values.length > 8;
      });
    }
    const sf = facets.scores;
    if (!sf || !sf.selects) return;
    const [lo] = manifest.scale;
    sf.selects.forEach((s, i) => {
      const h = hist[i], r = state.ranges[s.param] || manifest.scale;
      const sum = (a, b) => { let n = 0; for (let v = a; v <= b; v++) n += h[v - lo]; return n; };
      Array.from(s.min.options).forEach((o) => { o.textContent = "≥ " + o.value + " (" + sum(+o.value, r[1]) + ")"; });
      Array.from(s.max.options).forEach((o) => { o.textContent = "≤ " + o.value + " (" + sum(r[0], +o.value) + ")"; });
    });
  }
  async function showMore(mine) {
    const page = results.slice(shown, shown + PAGE);
    const metas = await Promise.all(page.map((d) => get("meta/" + Math.floor(d / manifest.batch) + ".json").then((b) => b[d % manifest.batch])));
    if (mine !== seq) return;
    metas.forEach((m, i) => list.append(item(m, page[i])));
    shown += page.length;
    more.hidden = shown >= results.length;
  }
  function item(m, d) {
    const kind = KINDS[kindOf[d]];
    const link = highlight(el("a", { href: base + m.u }, el("span", { class: "kind" }, kind[2]), " "), m.t, 0, m.t.length);
    const meta = [m.p];
    if (m.v !== undefined && manifest.verdicts[m.v]) meta.push(manifest.verdicts[m.v][1]);
    if (m.s !== undefined && manifest.statuses[m.s]) meta.push(manifest.statuses[m.s][1]);
    if (m.d) meta.push(m.d);
    if (m.r) meta.push(t("in", "in “{review}”", { review: m.r }));
    return el("li", { class: "search-result" }, el("h2", {}, link), el("p", { class: "meta" }, meta.join(" · ")), snippet(m.x));
  }
  function marked(w) {
    const f = fold(w);
    return marks.some((m) => f === m || (m.length > 2 && f.startsWith(m)));
  }
  // `text` from `start` to `end` into `node`, with the query's words marked.
  function highlight(node, text, start, end) {
    let at = start;
    for (const w of words(text.slice(start, end))) {
      if (!marked(w.word)) continue;
      node.append(text.slice(at, start + w.at), el("mark", {}, w.word));
      at = start + w.at + w.word.length;
    }
    node.append(text.slice(at, end));
    return node;
  }
  // The best window of the excerpt, with the query's words marked.
  function snippet(text) {
    const p = el("p", { class: "snippet" });
    const width = 200;
    const hits = words(text).filter((w) => marked(w.word)).map((w) => w.at);
    let start = 0;
    if (text.length > width && hits.length) {
      let best = -1;
      for (const h of hits) {
        const s = Math.max(0, h - 40), n = hits.filter((x) => x >= s && x < s + width).length;
        if (n > best) { best = n; start = s; }
      }
      if (start > 0) start = text.indexOf(" ", start) + 1 || start;
    }
    let end = Math.min(text.length, start + width);
    if (end < text.length && text.lastIndexOf(" ", end) > start) end = text.lastIndexOf(" ", end);
    if (start > 0) p.append("…");
    highlight(p, text, start, end);
    if (end < text.length) p.append("…");
    return p;
  }

  // ---- keyboard and events ----
  function links() { return Array.from(list.querySelectorAll(".search-result a")); }
  input.addEventListener("input", () => {
    state.q = input.value;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => commit(false), 80);
  });
  input.form.addEventListener("submit", (e) => {
    e.preventDefault();
    state.q = input.value;
    commit(true);
  });
  root.addEventListener("keydown", (e) => {
    const all = links(), at = all.indexOf(document.activeElement);
    if (e.key === "ArrowDown" && (e.target === input || at >= 0)) {
      e.preventDefault();
      if (at + 1 < all.length) all[at + 1].focus();
    } else if (e.key === "ArrowUp" && at >= 0) {
      e.preventDefault();
      (at > 0 ? all[at - 1] : input).focus();
    } else if (e.key === "Escape" && (e.target === input || at >= 0)) {
      e.preventDefault();
      input.value = state.q = "";
      input.focus();
      commit(true);
    }
  });
  more.addEventListener("click", () => showMore(seq));
  window.addEventListener("popstate", () => { readUrl(); run(); });

  // ---- start ----
  (async function start() {
    root.querySelector(".search-layout").hidden = false;
    status.textContent = t("loading", "Loading the search index…");
    try {
      index = await window.critiqueIndex(base + "search/");
      ({ manifest, docs, get, words, fold, code } = index);
      const core = await get("facets/core.json");
      layout(core);
      buildPanel();
      const fieldset = (name) => panel.querySelector("[data-facet=" + name + "]");
      addFacet("type", KINDS.map((k) => [k[0], k[1]]), (d) => kindOf[d], fieldset("type"));
      addFacet("verdict", manifest.verdicts, byEntry(core.verdict), fieldset("verdict"));
      readUrl();
      for (const name in LAZY) if (state.sel[name]) panel.querySelector("[data-facet=" + name + "]").open = true;
      if (Object.keys(state.ranges).length) panel.querySelector("[data-facet=scores]").open = true;
      await run();
    } catch (err) {
      status.textContent = t("unavailable", "Search is unavailable: {error}", { error: err.message });
    }
  })();
})();
