(function () {
  "use strict";
  var root = document.documentElement;

  // ---- language: English by default, "#lang=zh" opens the Chinese version
  function setLang(lang) {
    root.dataset.lang = lang;
    root.lang = lang === "zh" ? "zh-Hans" : "en";
    document.querySelectorAll("[data-" + lang + "-placeholder]").forEach(function (el) {
      el.placeholder = el.getAttribute("data-" + lang + "-placeholder");
    });
    document.querySelectorAll("[data-" + lang + "-alt]").forEach(function (el) {
      el.alt = el.getAttribute("data-" + lang + "-alt");
    });
    document.querySelectorAll("[data-" + lang + "-text]").forEach(function (el) {
      el.textContent = el.getAttribute("data-" + lang + "-text");
    });
    document.title = document.querySelector("h1 [lang^='" + (lang === "zh" ? "zh" : "en") + "']").textContent;
    count();
  }
  function langFromHash() {
    var m = /(?:^#|&)lang=(en|zh)\b/.exec(location.hash);
    return m ? m[1] : null;
  }
  document.getElementById("lang-switch").addEventListener("click", function () {
    var next = root.dataset.lang === "zh" ? "en" : "zh";
    setLang(next);
    history.replaceState(null, "", "#lang=" + next);
  });

  // ---- claims table: filters, search (English and Chinese), sort
  var table = document.getElementById("claims-table");
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var verdict = document.getElementById("filter-verdict");
  var source = document.getElementById("filter-source");
  var evidence = document.getElementById("filter-evidence");
  var search = document.getElementById("filter-text");
  var counter = document.getElementById("claim-count");
  rows.forEach(function (row) {
    row._text = (row.textContent + " " + (row.dataset.search || "")).toLowerCase();
  });
  function count() {
    var shown = rows.filter(function (r) { return !r.hidden; }).length;
    counter.textContent = root.dataset.lang === "zh"
      ? "已显示 " + shown + " / " + rows.length + " 条论断"
      : shown + " of " + rows.length + " claims shown";
  }
  function apply() {
    var v = verdict.value, s = source.value, e = evidence ? evidence.value : "";
    var t = search.value.trim().toLowerCase();
    rows.forEach(function (row) {
      row.hidden = !((!v || row.dataset.verdict === v) && (!s || row.dataset.source === s) &&
        (!e || row.dataset.evidence === e) && (!t || row._text.indexOf(t) !== -1));
    });
    count();
  }
  function clearFilters() {
    verdict.value = ""; source.value = ""; search.value = "";
    if (evidence) { evidence.value = ""; }
    apply();
  }
  [verdict, source, evidence].forEach(function (el) { if (el) { el.addEventListener("change", apply); } });
  search.addEventListener("input", apply);
  document.getElementById("clear-filters").addEventListener("click", clearFilters);
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
    if (!th.classList.contains("sortable")) { return; }
    th.tabIndex = 0;
    function sort() {
      var numeric = th.dataset.type === "num";
      var dir = th.dataset.dir === "asc" ? -1 : 1;
      th.dataset.dir = dir === 1 ? "asc" : "desc";
      rows.sort(function (a, b) {
        var x = a.cells[index].dataset.sort || a.cells[index].textContent.trim();
        var y = b.cells[index].dataset.sort || b.cells[index].textContent.trim();
        if (numeric) { x = parseFloat(x); y = parseFloat(y); x = isNaN(x) ? -Infinity : x; y = isNaN(y) ? -Infinity : y; return (x - y) * dir; }
        return x.localeCompare(y) * dir;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    }
    th.addEventListener("click", sort);
    th.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { sort(); } });
  });

  // ---- evidence links: clear filters, open what holds the target, land on it, highlight
  function reveal(id) {
    var target = document.getElementById(id);
    if (!target) { return false; }
    if (target.closest("#claims-table") && target.hidden) { clearFilters(); }
    var details = target.closest("details");
    if (details) { details.open = true; }
    document.querySelectorAll(".flash").forEach(function (el) { el.classList.remove("flash"); });
    target.classList.add("flash");
    target.scrollIntoView({ block: "center" });
    return true;
  }
  document.addEventListener("click", function (ev) {
    var link = ev.target.closest("a.evidence-link");
    if (!link) { return; }
    var id = link.getAttribute("href").slice(1);
    if (reveal(id)) {
      ev.preventDefault();
      history.replaceState(null, "", "#" + id);
    }
  });

  // ---- print: every collapsed section prints open
  var reopened = [];
  window.addEventListener("beforeprint", function () {
    reopened = Array.prototype.filter.call(document.querySelectorAll("details"), function (d) { return !d.open; });
    reopened.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    reopened.forEach(function (d) { d.open = false; });
  });

  setLang(langFromHash() || "en");
  apply();
  if (location.hash && !langFromHash()) { reveal(location.hash.slice(1)); }
})();
