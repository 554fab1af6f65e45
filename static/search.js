// Search in the browser, for the exported site (python guide.py build),
// where no server answers search.html?q=...  It ranks the index that
// search-index.js hands over (window.guideSearchIndex, the JSON object of
// /search-index.json) the way guide.py's SearchIndex does.  When the
// server has already answered the search, this script does nothing.
//
// Nothing here assumes the site sits at the root of its host: search.html
// always sits at the site's root, so the folder of the page's own address
// is that root, whether the site is at http://host/, under a prefix
// (http://host/docs/search.html) or opened from the file system
// (file:///.../out/search.html).  The index is loaded by a <script>
// element, not fetch(), as a page opened from a file may load a script but
// not fetch a file; links to pages are made relative to that root, and
// from a file a folder's page is its index.html (file:// has no
// directory index).
(function () {
  "use strict";
  var status = document.querySelector(".search-status");
  var list = document.querySelector(".results");
  var query = new URLSearchParams(location.search).get("q") || "";
  if (!status || !list || status.hasAttribute("data-server") || !query.trim()) {
    return;
  }
  var root = new URL(".", location.href);
  var CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff";
  var CJK_RUN = new RegExp("^[" + CJK + "]+$");
  var PARTS = new RegExp("[" + CJK + "]+|[^" + CJK + "]+", "g");
  var WORD = /[\p{L}\p{N}_]+/gu;

  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function terms(text) {
    var found = [];
    (fold(text).match(WORD) || []).forEach(function (word) {
      (word.match(PARTS) || []).forEach(function (part) {
        if (CJK_RUN.test(part) && part.length > 1) {
          for (var i = 0; i < part.length - 1; i++) { found.push(part.slice(i, i + 2)); }
        } else {
          found.push(part);
        }
      });
    });
    return found;
  }

  function index(data) {
    var postings = new Map();
    var lengths = data.pages.map(function (page, number) {
      var length = 0;
      [["title", page.title, 1], ["headings", page.headings, 2], ["body", page.text, 0]]
        .forEach(function (field) {
          var weight = data.weights[field[0]];
          terms(field[1]).forEach(function (term) {
            var entries = postings.get(term) || new Map();
            var entry = entries.get(number) || [0, 0];
            entry[0] += weight;
            entry[1] |= field[2];
            entries.set(number, entry);
            postings.set(term, entries);
            length += weight;
          });
        });
      return length;
    });
    var average = lengths.reduce(function (a, b) { return a + b; }, 0) / (lengths.length || 1);
    return {postings: postings, lengths: lengths, average: average,
            vocabulary: Array.from(postings.keys()).sort()};
  }

  function scores(data, ix, term, words) {
    var found = new Map();
    words.forEach(function (word) {
      (ix.postings.get(word) || new Map()).forEach(function (entry, number) {
        var sum = found.get(number) || [0, 0, false];
        sum[0] += entry[0];
        sum[1] |= entry[1];
        sum[2] = sum[2] || word === term;
        found.set(number, sum);
      });
    });
    var pages = data.pages.length;
    var idf = Math.log(1 + (pages - found.size + 0.5) / (found.size + 0.5));
    var result = new Map();
    found.forEach(function (sum, number) {
      var norm = 1 - data.b + data.b * ix.lengths[number] / ix.average;
      var score = sum[0] * (data.k1 + 1) / (sum[0] + data.k1 * norm);
      score += (sum[1] & 1) ? data.bonus.title : (sum[1] & 2) ? data.bonus.heading : 0;
      result.set(number, idf * score * (sum[2] ? 1 : data.prefixOnly));
    });
    return result;
  }

  function search(data, ix, text) {
    var wanted = Array.from(new Set(terms(text.slice(0, data.queryLimit))))
      .slice(0, data.queryTerms);
    var total = null;
    wanted.forEach(function (term, position) {
      var words = [term];
      if (position === wanted.length - 1 && !new RegExp("[" + CJK + "]").test(term)) {
        ix.vocabulary.forEach(function (word) {
          if (word !== term && word.startsWith(term) && words.length <= data.prefixExpansions) {
            words.push(word);
          }
        });
      }
      var current = scores(data, ix, term, words);
      if (total === null) {
        total = current;
      } else {
        total.forEach(function (score, number) {
          if (current.has(number)) { total.set(number, score + current.get(number)); }
          else { total.delete(number); }
        });
      }
    });
    var ranked = Array.from((total || new Map()).entries())
      .sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; })
      .slice(0, data.results);
    return {terms: wanted, ranked: ranked};
  }

  function snippet(text, wanted, width) {
    var last = wanted[wanted.length - 1] || "";
    function matches(word) {
      var folded = fold(word);
      return wanted.indexOf(folded) >= 0 || (last && folded.startsWith(last)) ||
        wanted.some(function (term) { return CJK_RUN.test(term) && folded.indexOf(term) >= 0; });
    }
    var words = Array.from(text.matchAll(WORD));
    var first = words.find(function (match) { return matches(match[0]); });
    var start = Math.max(0, (first ? first.index : 0) - Math.floor(width / 3));
    if (start) { start = text.indexOf(" ", start) + 1 || start; }
    var end = Math.min(text.length, start + width);
    var paragraph = document.createElement("p");
    var position = start;
    paragraph.append(start ? "… " : "");
    words.forEach(function (match) {
      var from = match.index, to = match.index + match[0].length;
      if (from < start || to > end || !matches(match[0])) { return; }
      var mark = document.createElement("mark");
      mark.textContent = match[0];
      paragraph.append(text.slice(position, from), mark);
      position = to;
    });
    paragraph.append(text.slice(position, end) + (end < text.length ? " …" : ""));
    return paragraph;
  }

  // The index's URLs are root-relative ("/", "/flask.html", "/docs/install/").
  function pageLink(url) {
    var relative = url.replace(/^\//, "");
    if (location.protocol === "file:" && (relative === "" || relative.endsWith("/"))) {
      relative += "index.html";
    }
    return new URL(relative, root).href;
  }

  function loadIndex() {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.addEventListener("load", function () { resolve(window.guideSearchIndex); });
      script.addEventListener("error", reject);
      script.src = new URL("search-index.js", root).href;
      document.head.append(script);
    });
  }

  status.textContent = "Searching…";
  loadIndex()
    .then(function (data) {
      var found = search(data, index(data), query);
      if (!found.terms.length) {
        status.textContent = "Type one or more words to search for.";
      } else if (!found.ranked.length) {
        status.textContent = "No pages match “" + query + "”.";
      } else {
        status.textContent = found.ranked.length + (found.ranked.length === 1 ?
          " page matches" : " pages match") + " “" + query + "”.";
      }
      found.ranked.forEach(function (entry) {
        var page = data.pages[entry[0]];
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = pageLink(page.url);
        link.textContent = page.title;
        item.append(link, snippet(page.text, found.terms, 220));
        list.append(item);
      });
      document.getElementById("search-query").value = query;
    })
    .catch(function () { status.textContent = "Search is not available here."; });
})();
