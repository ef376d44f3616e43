// critique serve: live reload. Injected into served pages only, never into a build.
(() => {
  "use strict";
  const base = document.currentScript.dataset.base;
  const key = "critique-scroll:" + location.pathname;
  const saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    addEventListener("load", () => scrollTo(0, Number(saved)));
  }
  let overlay = null;
  function showError(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "critique-error-overlay";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText =
        "position:fixed;inset:0 0 auto 0;max-height:70vh;overflow:auto;z-index:2147483647;" +
        "background:#2b0b0e;color:#ffe3e3;font:14px/1.5 ui-monospace,monospace;padding:1rem 1.25rem;" +
        "white-space:pre-wrap;border-bottom:4px solid #ff6b6b";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "critique: the last edit does not build; this page is the last good build.\n\n" + text;
  }
  function clearError() {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
  }
  const events = new EventSource(base + "__critique/events");
  events.onmessage = (event) => {
    const message = JSON.parse(event.data);
    if (message.kind === "reload" && message.follow && message.follow !== location.pathname) {
      location.assign(message.follow);
    } else if (message.kind === "reload") {
      sessionStorage.setItem(key, String(scrollY));
      location.reload();
    } else if (message.kind === "css") {
      clearError();
      for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
        const url = new URL(link.href);
        url.searchParams.set("critique", String(Date.now()));
        link.href = url.href;
      }
    } else if (message.kind === "error") {
      showError(message.message);
    } else if (message.kind === "ok") {
      clearError();
    }
  };
})();
