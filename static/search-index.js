// Reading the search index critique writes under search/ (see src/search/mod.rs): the
// manifest says which vocabulary and postings chunk holds a word, and only those chunks are
// fetched. Folding repeats src/search/tokenize.rs; the page itself is search.js.
(function () {
  "use strict";
  const PREFIX_STEMS = 30, PREFIX_CHUNKS = 3;
  const ALPHA = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  const DIGIT = new Int8Array(128).fill(-1);
  for (let i = 0; i < 64; i++) DIGIT[ALPHA.charCodeAt(i)] = i;

  // The index below `dir`: its manifest, and what reads it.
  window.critiqueIndex = async function (dir) {
    const manifest = await fetch(dir + "manifest.json", { cache: "no-cache" }).then((r) => r.json());
    if (manifest.version !== 2) throw new Error("index version " + manifest.version);
    const version = manifest.id;
    const docs = manifest.reviews + manifest.questions + manifest.projects;
    const files = {}, vocab = {}, stems = {};
    // ---- text: the same folding as src/search/tokenize.rs ----
    const segmenter = window.Intl && Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity: "word" }) : null;
    function words(text) {
      const out = [];
      if (segmenter) {
        for (const s of segmenter.segment(text)) if (s.isWordLike) out.push({ word: s.segment, at: s.index });
      } else {
        for (const m of text.matchAll(/[\p{L}\p{N}][\p{L}\p{N}\p{M}'’._,]*/gu)) out.push({ word: m[0].replace(/[._,]+$/, ""), at: m.index });
      }
      return out;
    }
    function fold(word) {
      return word.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/’/g, "'");
    }
    function varint(s, pos) {
      let value = 0, scale = 1, d;
      do { d = DIGIT[s.charCodeAt(pos.i++)]; value += (d & 31) * scale; scale *= 32; } while (d >= 32);
      return value;
    }
    function code(s, at, width) {
      let v = 0;
      for (let i = 0; i < width; i++) v = v * 64 + DIGIT[s.charCodeAt(at * width + i)];
      return v;
    }

    // ---- fetching ----
    function get(path) {
      if (!files[path]) {
        files[path] = fetch(dir + path + "?v=" + version).then((r) => {
          if (!r.ok) throw new Error(path + ": " + r.status);
          return r.json();
        });
        files[path].catch(() => { delete files[path]; });
      }
      return files[path];
    }
    function chunkOf(firsts, key) {
      let lo = 0, hi = firsts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (firsts[mid] <= key) lo = mid; else hi = mid - 1;
      }
      return lo;
    }
    async function vocabChunk(i) {
      if (!vocab[i]) {
        vocab[i] = get("vocab/" + i + ".json").then((entries) => entries.map((e) => {
          const space = e.indexOf(" ");
          return space < 0 ? [e, e] : [e.slice(0, space), e.slice(space + 1)];
        }));
      }
      return vocab[i];
    }
    // The stems of a query word: exactly, or (the last word, while typing) every word it starts.
    // A word the site never uses takes the longest stem it starts with (looks → look).
    // null: a stop word, to be skipped.
    async function stemsOf(word, prefix) {
      const first = chunkOf(manifest.vocab, word);
      const found = [];
      let exact = null, near = "";
      for (let i = first; i < manifest.vocab.length && i < first + PREFIX_CHUNKS; i++) {
        if (i > first && !(prefix && manifest.vocab[i].startsWith(word))) break;
        for (const [w, s] of await vocabChunk(i)) {
          if (w === word) exact = s;
          else if (prefix && s && w.startsWith(word)) found.push([w, s]);
          if (s.length > near.length && s.length >= 3 && word.length - s.length <= 4 && word.startsWith(s)) near = s;
        }
      }
      if (exact === null && near) exact = near;
      if (exact === "" && !prefix) return null;
      found.sort((a, b) => a[0].length - b[0].length || (a[0] < b[0] ? -1 : 1));
      const out = exact ? [exact] : [];
      for (const [, s] of found) if (out.length < PREFIX_STEMS && !out.includes(s)) out.push(s);
      return out.length || exact !== "" ? out : null;
    }
    async function postings(stem) {
      if (!stems[stem]) {
        stems[stem] = get("postings/" + chunkOf(manifest.postings, stem) + ".json").then((chunk) => {
          const s = chunk[stem];
          if (!s) return null;
          const pos = { i: 0 };
          const idf = varint(s, pos) / 100, n = varint(s, pos);
          const ids = new Int32Array(n);
          let doc = 0;
          for (let k = 0; k < n; k++) { doc += varint(s, pos); ids[k] = doc; }
          const weights = new Float32Array(n);
          for (let k = 0; k < n; k++) weights[k] = idf * DIGIT[s.charCodeAt(pos.i + k)];
          return { ids, weights };
        });
      }
      return stems[stem];
    }

    // ---- matching ----
    // Scores of the documents holding every query word (BM25, summed over words), and the
    // folded words and stems to mark in results; null when the query has no word.
    async function match(q) {
      const ws = words(q).map((w) => fold(w.word));
      const typing = ws.length > 0 && !/[\s"]$/.test(q);
      const terms = [], marks = [];
      for (let i = 0; i < ws.length; i++) {
        const s = await stemsOf(ws[i], typing && i === ws.length - 1);
        if (s === null) continue;
        terms.push(s);
        marks.push(ws[i], ...s.filter((x) => x.length > 2));
      }
      if (!ws.length) return null;
      if (!terms.length) return { score: new Float32Array(docs), marks };
      const score = new Float32Array(docs), hits = new Uint8Array(docs);
      for (const s of terms) {
        const best = new Float32Array(docs);
        for (const p of await Promise.all(s.map(postings))) {
          if (!p) continue;
          for (let k = 0; k < p.ids.length; k++) if (p.weights[k] > best[p.ids[k]]) best[p.ids[k]] = p.weights[k];
        }
        for (let d = 0; d < docs; d++) if (best[d] > 0) { score[d] += best[d]; hits[d]++; }
      }
      for (let d = 0; d < docs; d++) if (hits[d] < terms.length) score[d] = 0;
      return { score, marks };
    }

    return { manifest, docs, get, words, fold, code, match };
  };
})();
