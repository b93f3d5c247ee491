// Quoth's SPARQL page: POST the query, render SPARQL JSON results as a table (no dependencies).
(function () {
  "use strict";
  const form = document.getElementById("sparql-form");
  const query = document.getElementById("query");
  const accept = document.getElementById("accept");
  const status = document.getElementById("status");
  const out = document.getElementById("results");

  function el(tag, text, attrs) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    return e;
  }

  function localHref(iri) {
    // IRIs under this server dereference here; other http(s) IRIs open as they are; anything
    // else (javascript:, data:, urn:, …) is not a link
    try {
      const u = new URL(iri);
      if (u.host === window.location.host) return u.pathname + u.search;
      if (u.protocol === "http:" || u.protocol === "https:") return iri;
    } catch (e) { /* not a URL */ }
    return null;
  }

  function cell(term) {
    const td = el("td");
    if (!term) return td;
    if (term.type === "uri") {
      const href = localHref(term.value);
      td.appendChild(href ? el("a", term.value, { href: href }) : el("span", term.value));
    } else if (term.type === "bnode") {
      td.textContent = "_:" + term.value;
    } else {
      td.textContent = term.value;
      if (term["xml:lang"]) td.appendChild(el("span", " @" + term["xml:lang"], { class: "muted" }));
    }
    return td;
  }

  function renderJson(data) {
    out.replaceChildren();
    if (typeof data.boolean === "boolean") {
      out.appendChild(el("p", "ASK: " + data.boolean, { id: "ask-result" }));
      return 1;
    }
    const vars = data.head.vars || [];
    const table = el("table", null, { id: "result-table" });
    const hr = el("tr");
    vars.forEach((v) => hr.appendChild(el("th", "?" + v)));
    table.appendChild(el("thead")).appendChild(hr);
    const body = el("tbody");
    for (const b of data.results.bindings) {
      const tr = el("tr");
      vars.forEach((v) => tr.appendChild(cell(b[v])));
      body.appendChild(tr);
    }
    table.appendChild(body);
    out.appendChild(table);
    return data.results.bindings.length;
  }

  async function run(ev) {
    if (ev) ev.preventDefault();
    status.textContent = "running…";
    out.replaceChildren();
    const t0 = performance.now();
    let resp;
    try {
      resp = await fetch("/sparql", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: accept.value + ", */*;q=0.1" },
        body: new URLSearchParams({ query: query.value }),
      });
    } catch (e) {
      status.textContent = "network error: " + e;
      return;
    }
    const ms = Math.round(performance.now() - t0);
    const ctype = resp.headers.get("content-type") || "";
    if (!resp.ok) {
      status.textContent = "error " + resp.status;
      out.appendChild(el("pre", await resp.text(), { class: "error", id: "error" }));
      return;
    }
    const capped = resp.headers.get("X-Quoth-Result-Cap") === "hit";
    let n;
    if (ctype.includes("json") && !ctype.includes("ld+json")) {
      n = renderJson(await resp.json()) + " results";
    } else {
      const text = await resp.text();
      out.appendChild(el("pre", text, { id: "result-text" }));
      n = text.length + " bytes";
    }
    status.textContent = n + " in " + ms + " ms" + (capped ? " — result cap reached, results truncated" : "");
    status.dataset.done = "true";
  }

  form.addEventListener("submit", run);
  query.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) run(e);
  });
  if (form.dataset.autorun === "true") run();
})();
