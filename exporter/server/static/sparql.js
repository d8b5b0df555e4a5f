// The query page: runs the query in the editor and shows its answer in the page as a table.
// Without this script the page still works: Run posts the form and the answer downloads.
"use strict";

(function () {
  const form = document.getElementById("sparql-form");
  const editor = document.getElementById("query");
  const results = document.getElementById("results");
  const problem = document.getElementById("error");
  const status = document.getElementById("status");
  const downloads = document.getElementById("downloads");
  const base = form.dataset.base;
  const root = form.dataset.root;
  const shortNames = JSON.parse(form.dataset.prefixes);

  function element(tag, text, attributes) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    return node;
  }

  function short(iri) {
    for (const [prefix, namespace] of Object.entries(shortNames)) {
      if (iri.startsWith(namespace)) return prefix + ":" + iri.slice(namespace.length);
    }
    return iri;
  }

  // An IRI links to its page when it is ours, to itself when it is on the web, and is text otherwise.
  function href(iri) {
    if (iri.startsWith(base)) return root + "/" + iri.slice(base.length);
    return /^https?:\/\//i.test(iri) ? iri : null;
  }

  // One cell: an IRI as a link, a literal with its language or datatype, a blank node by its name.
  function cell(term) {
    const td = element("td");
    if (!term) return td;
    if (term.type === "uri") {
      const target = href(term.value);
      td.appendChild(target ? element("a", short(term.value), { href: target, class: "iri" })
                            : element("span", term.value, { class: "iri" }));
    } else if (term.type === "bnode") {
      td.appendChild(element("span", "_:" + term.value, { class: "iri" }));
    } else {
      td.appendChild(element("span", term.value, { class: "literal" }));
      const note = term["xml:lang"] ? "@" + term["xml:lang"] : term.datatype ? short(term.datatype) : null;
      if (note) td.appendChild(element("small", " " + note, { class: "datatype" }));
    }
    return td;
  }

  function table(names, rows) {
    const grid = element("table", null, { id: "answer" });
    const head = element("tr");
    names.forEach((name) => head.appendChild(element("th", "?" + name, { scope: "col" })));
    grid.appendChild(element("thead")).appendChild(head);
    const body = grid.appendChild(element("tbody"));
    rows.forEach((row) => {
      const tr = body.appendChild(element("tr"));
      names.forEach((name) => tr.appendChild(cell(row[name])));
    });
    return grid;
  }

  // N-Triples, as the endpoint writes them for CONSTRUCT and DESCRIBE, read into SPARQL JSON terms.
  const TERM = /^(?:<([^>]*)>|_:(\S+)|"((?:[^"\\]|\\.)*)"(?:@([A-Za-z0-9-]+)|\^\^<([^>]*)>)?)\s*/;
  function unescape(text) {
    return text.replace(/\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})|\\(.)/g, (all, u4, u8, c) =>
      u4 || u8 ? String.fromCodePoint(parseInt(u4 || u8, 16)) : ({ t: "\t", n: "\n", r: "\r", b: "\b", f: "\f" })[c] || c);
  }
  function triples(text) {
    const rows = [];
    for (let line of text.split("\n")) {
      const terms = [];
      line = line.trim();
      while (line && line !== "." && terms.length < 3) {
        const match = TERM.exec(line);
        if (!match) break;
        if (match[1] !== undefined) terms.push({ type: "uri", value: match[1] });
        else if (match[2] !== undefined) terms.push({ type: "bnode", value: match[2] });
        else terms.push({ type: "literal", value: unescape(match[3]), "xml:lang": match[4], datatype: match[5] });
        line = line.slice(match[0].length);
      }
      if (terms.length === 3) rows.push({ subject: terms[0], predicate: terms[1], object: terms[2] });
    }
    return rows;
  }

  // The error, and where it is: the line and column are selected in the editor.
  function showProblem(message) {
    problem.hidden = false;
    problem.textContent = message;
    const at = /line (\d+), column (\d+)/.exec(message);
    if (!at) return;
    const lines = editor.value.split("\n");
    const line = Math.min(Number(at[1]), lines.length);
    let offset = lines.slice(0, line - 1).reduce((sum, text) => sum + text.length + 1, 0) + Number(at[2]) - 1;
    offset = Math.min(offset, editor.value.length);
    problem.appendChild(element("pre", lines[line - 1] + "\n" + " ".repeat(Math.max(Number(at[2]) - 1, 0)) + "^",
                                { class: "where" }));
    editor.focus();
    editor.setSelectionRange(offset, Math.min(offset + 1, editor.value.length));
  }

  function linkDownloads(query) {
    downloads.querySelectorAll("a[data-format]").forEach((link) => {
      link.href = root + "/sparql?" + new URLSearchParams({ query: query, format: link.dataset.format });
    });
  }

  async function run() {
    const query = editor.value;
    problem.hidden = true;
    problem.textContent = "";
    results.textContent = "";
    status.textContent = "Running…";
    history.replaceState(null, "", root + "/sparql?" + new URLSearchParams({ query: query }));
    linkDownloads(query);
    const started = performance.now();
    let response;
    try {
      response = await fetch(root + "/sparql", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded",
                   Accept: "application/sparql-results+json, application/n-triples;q=0.9" },
        body: new URLSearchParams({ query: query }),
      });
    } catch (failure) {
      status.textContent = "";
      showProblem("The server could not be reached: " + failure.message);
      return;
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    const text = await response.text();
    status.textContent = "";
    if (!response.ok) {
      showProblem(text.trim());
      return;
    }
    const cut = response.headers.get("X-Results-Truncated");
    let summary;
    if ((response.headers.get("Content-Type") || "").startsWith("application/sparql-results+json")) {
      const answer = JSON.parse(text);
      if ("boolean" in answer) {
        results.appendChild(element("p", String(answer.boolean), { id: "boolean", class: "answer" }));
        summary = "ASK";
      } else {
        results.appendChild(table(answer.head.vars, answer.results.bindings));
        summary = answer.results.bindings.length + " rows";
      }
    } else {
      const rows = triples(text);
      results.appendChild(table(["subject", "predicate", "object"], rows));
      summary = rows.length + " triples";
    }
    results.insertBefore(element("p", summary + " in " + seconds + " s" + (cut ? ", cut at " + cut : ""),
                                 { id: "summary" }), results.firstChild);
  }

  form.addEventListener("submit", (event) => {
    if (event.submitter && event.submitter.name === "download") return; // the form posts; the answer downloads
    event.preventDefault();
    run();
  });
  editor.addEventListener("input", () => linkDownloads(editor.value));
  document.querySelectorAll("a.load").forEach((link) => {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      editor.value = link.dataset.query;
      editor.scrollIntoView();
      run();
    });
  });
  linkDownloads(editor.value);
  if (new URLSearchParams(location.search).has("query")) run();
})();
