// The reader's comparison (/compare/): without this script the page shows the projects table;
// with it, a form of checkboxes chooses two to four projects, kept in the URL (?p=a,b,c) so
// that a comparison can be shared and back and forward walk through the choices, and a table
// shows them side by side, built from each chosen project's JSON (projects/<slug>/index.json,
// fetched once, only for the projects chosen). Every text goes in as text, never as markup.
// Its words are the site's language's, from the data-t-* attributes of compare.html.
(function () {
  "use strict";
  const MIN = 2, MAX = 4;
  const root = document.getElementById("compare");
  const form = document.getElementById("compare-form");
  const status = document.getElementById("compare-status");
  const result = document.getElementById("compare-result");
  const fallback = document.getElementById("compare-all");
  if (!root || !form || !status || !result || !window.fetch || !window.URLSearchParams) return;
  // The site's base path, so that addresses hold under a sub-folder (/sub/projects/x/).
  const base = root.getAttribute("data-base") || "/";
  const axes = (root.getAttribute("data-axes") || "").split(" ").filter(Boolean);
  // The page's words, in the site's language, from its data-t-* attributes (English where a
  // site's own compare.html gives none), with each {name} filled in.
  const fill = (text, values) => {
    for (const name in values || {}) text = text.split("{" + name + "}").join(String(values[name]));
    return text;
  };
  const t = (key, fallback, values) => {
    const text = root.getAttribute("data-t-" + key);
    return fill(text === null ? fallback : text, values);
  };
  // A counted text: its form for n (zero, one or other, as the site's language counts).
  const count = (key, one, other, n) => {
    const text = root.getAttribute("data-t-" + key + "-" + (n === 0 ? "zero" : n === 1 ? "one" : "other"));
    return fill(text === null ? (n === 1 ? one : other) : text, { n });
  };
  const boxes = new Map();
  form.querySelectorAll("input[type=checkbox][name=p]").forEach((box) => boxes.set(box.value, box));
  // Fewer than two projects: nothing to choose between, and the table says all there is.
  if (boxes.size < MIN) return;
  const loaded = new Map(); // slug -> Promise of its JSON
  let chosen = [], seq = 0;

  // ---- the choice and the URL ----
  // Only the slugs the form offers, each once, at most four: a link may say anything.
  function fromUrl() {
    const named = (new URLSearchParams(location.search).get("p") || "").split(",");
    return named.filter((s, i) => boxes.has(s) && named.indexOf(s) === i).slice(0, MAX);
  }
  function address() {
    return location.pathname + (chosen.length ? "?p=" + chosen.map(encodeURIComponent).join(",") : "");
  }
  function remember(push) {
    const target = address();
    if (target !== location.pathname + location.search) history[push ? "pushState" : "replaceState"](null, "", target);
  }

  // ---- building ----
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return node;
  }
  // As the pages write a score: one decimal at most.
  function score(v) {
    return String(Math.round(v * 10) / 10 + 0);
  }
  function missing(text) {
    return el("span", { class: "nd" }, text);
  }
  function list(items) {
    if (items.length < 2) return items.join("");
    return items.slice(0, -1).join(", ") + t("and", " and ") + items[items.length - 1];
  }
  // A web address as a link (http, https or mailto, as the site's fields are), else as text.
  function link(url) {
    return /^(https?:|mailto:)/i.test(url) ? el("a", { href: url, rel: "nofollow" }, url) : document.createTextNode(url);
  }
  function facts(rows) {
    const dl = el("dl");
    for (const [term, value] of rows) {
      const shown = value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length)
        ? missing(t("not-disclosed", "Not disclosed"))
        : value instanceof Node ? value : Array.isArray(value) ? value.join(", ") : value;
      dl.append(el("dt", null, term), el("dd", null, shown));
    }
    return dl;
  }
  // What a card's field holds: a text, or a kept address whose value is its text.
  function text(v) {
    return v && typeof v === "object" && !Array.isArray(v) ? (v.value !== undefined ? v.value : null) : v;
  }
  function axisCell(p, key) {
    const s = p.scores && p.scores[key];
    if (!s || !s.values || !s.values.length) return missing(t("not-scored", "not scored"));
    if (p.overall === null || p.overall === undefined) {
      const scores = t("scores", "(scores: {scores})", { scores: s.values.map(score).join(" · ") });
      return el("span", null, missing(t("no-aggregate", "no aggregate yet")), " " + scores);
    }
    if (s.median === null || s.median === undefined) return missing(t("no-median", "no median"));
    const cell = el("span", null, el("strong", null, score(s.median)));
    if (s.band) cell.append(" — " + s.band);
    if (s.contested) cell.append(" " + t("contested", "(contested)"));
    return cell;
  }
  function claimStatus(c) {
    if (c.finding) return t("found", "Found: {rating}", { rating: c.finding.label });
    if (!c.questions || !c.questions.length) return t("not-questioned", "Not questioned yet");
    return t("claim-counts", "{open}, {answered}, {disputed}", {
      open: count("open", "{n} open", "{n} open", c.open),
      answered: count("answered", "{n} answered", "{n} answered", c.answered),
      disputed: count("disputed", "{n} disputed", "{n} disputed", c.disputed),
    });
  }
  function claims(p) {
    if (!p.claims || !p.claims.length) return missing(t("no-claims", "No claims listed"));
    return el("ul", { class: "compare-claims" }, ...p.claims.map((c) =>
      el("li", null, c.text, " ", el("span", { class: "claim-status" }, "(" + claimStatus(c) + ")"))));
  }
  function token(p) {
    const k = p.token;
    if (!k) return missing(t("no-token", "No token disclosed"));
    return facts([
      [t("symbol", "Symbol"), k.symbol], [t("rights", "Rights of holders"), k.rights],
      [t("allocation", "Allocation"), k.allocation],
    ]);
  }
  function governance(p) {
    const g = p.governance;
    if (!g) return missing(t("not-disclosed", "Not disclosed"));
    return facts([[t("upgrades", "Upgrades"), g.upgrades], [t("timelock", "Timelock"), g.timelock]]);
  }
  function accountability(p) {
    const a = p.accountability;
    if (!a) return missing(t("not-disclosed", "Not disclosed"));
    const url = (v) => (text(v) ? link(text(v)) : null);
    return facts([
      [t("incident-contact", "Incident contact"), a.incident_contact],
      [t("status-page", "Status page"), url(a.status_page)],
      [t("can-pause", "Who can pause it"), a.can_pause], [t("postmortems", "Post-mortems"), url(a.postmortems)],
    ]);
  }
  function table(projects) {
    const label = (key) => {
      const named = projects.map((p) => p.scores && p.scores[key] && p.scores[key].label).find(Boolean);
      return named || key;
    };
    const row = (head, cell, cls) => el("tr", cls ? { class: cls } : null, el("th", { scope: "row" }, head),
      ...projects.map((p) => el("td", null, cell(p))));
    const num = (v) => (v === null || v === undefined ? missing(t("no-aggregate", "no aggregate yet")) : el("strong", null, score(v)));
    const heads = projects.map((p) =>
      el("th", { scope: "col" }, el("a", { href: base + "projects/" + encodeURIComponent(p.slug) + "/" }, p.name)));
    return el("table", { class: "compare-table" },
      el("caption", null, t("caption", "The chosen projects side by side: each axis' median with what the rubric " +
        "says it means, the overall score, the reviews counted, open questions, each claim with where it stands, " +
        "and who profits, who decides and who answers.")),
      el("thead", null, el("tr", null, el("th", { scope: "col" }, t("project", "Project")), ...heads)),
      el("tbody", null,
        row(t("overall", "Overall"), (p) => num(p.overall), "compare-overall"),
        ...axes.map((key) => {
          const r = row(label(key), (p) => axisCell(p, key));
          r.setAttribute("data-axis", key);
          return r;
        }),
        row(t("reviews", "Reviews"), (p) => String(p.counted_reviews), "compare-reviews"),
        row(t("open-questions", "Open questions"), (p) => String(p.open_questions), "compare-open"),
        row(t("claims", "Claims"), claims, "compare-claims-row"),
        row(t("token", "Token: who profits"), token, "compare-token"),
        row(t("governance", "Governance: who controls upgrades"), governance, "compare-governance"),
        row(t("accountability", "Accountability: who answers at 2 a.m."), accountability, "compare-accountability")));
  }

  // ---- fetching and showing ----
  function load(slug) {
    if (!loaded.has(slug)) {
      const url = base + "projects/" + encodeURIComponent(slug) + "/index.json";
      const promise = fetch(url).then((r) => {
        if (!r.ok) throw new Error(url + ": " + r.status);
        return r.json();
      });
      // A failed fetch may be tried again with the next choice.
      promise.catch(() => loaded.delete(slug));
      loaded.set(slug, promise);
    }
    return loaded.get(slug);
  }
  function names() {
    return chosen.map((s) => boxes.get(s).parentNode.querySelector("label").textContent);
  }
  async function show() {
    const mine = ++seq;
    boxes.forEach((box, slug) => { box.checked = chosen.includes(slug); });
    if (chosen.length < MIN) {
      result.replaceChildren();
      status.textContent = chosen.length
        ? t("one-more", "Choose at least one more project to compare with {project}.", { project: names()[0] })
        : t("prompt", "Choose two to four projects to see them side by side.");
      return;
    }
    status.textContent = t("loading", "Loading {projects}…", { projects: list(names()) });
    let projects;
    try {
      projects = await Promise.all(chosen.map(load));
    } catch (e) {
      if (mine === seq) status.textContent = t("failed", "The projects' data could not be loaded; try again.");
      return;
    }
    if (mine !== seq) return;
    result.replaceChildren(table(projects));
    status.textContent = t("comparing", "Comparing {projects}.", { projects: list(projects.map((p) => p.name)) });
  }

  form.addEventListener("change", (event) => {
    const box = event.target;
    if (!boxes.has(box.value)) return;
    if (box.checked && !chosen.includes(box.value)) {
      if (chosen.length >= MAX) {
        box.checked = false;
        status.textContent = t("at-most", "Four projects at most: uncheck one to choose another.");
        return;
      }
      chosen.push(box.value);
    } else if (!box.checked) {
      chosen = chosen.filter((s) => s !== box.value);
    }
    remember(true);
    show();
  });
  form.addEventListener("submit", (event) => event.preventDefault());
  window.addEventListener("popstate", () => {
    chosen = fromUrl();
    show();
  });

  form.hidden = false;
  if (fallback) fallback.hidden = true;
  chosen = fromUrl();
  remember(false);
  show();
})();
