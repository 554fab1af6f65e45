// Search in the browser, for the exported site (python guide.py build),
// where no server answers search.html?q=...  It searches the index that
// the scripts under search/ hand over (guide.py's search_files: meta.js,
// then only the chunks of terms and the pages a query needs; see Index)
// exactly as guide.py's SearchIndex.search does: each
// function below is the twin of the one of the same name in guide.py's
// "Searching" section (stem, fold, search_terms, Query.read, the BM25
// scores, has_phrases, best_section, snippet...), so that a query gives
// the same pages in the same order, linked to the same sections, with the
// same count, snippets and Previous / Next links as the server's answer,
// said in the guide's language (the words views/search.tpl puts in the
// page's data-words); test_guide.py compares the two.  When the server has
// already answered the search, this script does nothing (but define
// window.guideSearch, for the tests).
//
// Python counts a string's characters by code point, JavaScript by UTF-16
// unit; the two differ for characters outside the Basic Multilingual Plane
// (emoji, say).  Where guide.py slices or measures text (the sections'
// offsets in the index, the snippet's width, a query's 200 characters,
// the length of a word that may have a typo), this script counts code
// points too.
//
// Nothing here assumes the site sits at the root of its host: search.html
// always sits at the site's root, so the folder of the page's own address
// is that root, whether the site is at http://host/, under a prefix
// (http://host/docs/search.html) or opened from the file system
// (file:///.../out/search.html).  The index's parts are loaded by <script>
// elements, not fetch(), as a page opened from a file may load a script but
// not fetch a file; links to pages are made relative to that root, and
// from a file a folder's page is its index.html (file:// has no
// directory index).
(function () {
  "use strict";

  // Searching (the twin of guide.py's) ///////////////////////////////////

  var CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff";
  var CJK_ANY = new RegExp("[" + CJK + "]", "u");
  var CJK_OR_OTHER = new RegExp("[" + CJK + "]+|[^" + CJK + "]+", "gu");
  var WORD_CHAR = "\\p{L}\\p{N}_";  // Python's \w (letters, numbers, '_')
  var WORD = new RegExp("[" + WORD_CHAR + "]+", "gu");
  // Python's \s and str.split(): JavaScript's \s has U+FEFF and lacks these
  // U+001C-U+001F and U+0085.
  var SPACE = "\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029" +
    "\\u202f\\u205f\\u3000";
  var SPACES = new RegExp("[" + SPACE + "]+", "u");
  var EDGE_SPACES = new RegExp("^[" + SPACE + "]+|[" + SPACE + "]+$", "gu");
  // A query's parts: "a phrase", -excluded, or a word (guide.QUERY_PART).
  var QUERY_PART = new RegExp('"([^"]*)"?|(?<![' + WORD_CHAR + '])-([' + WORD_CHAR +
    ']+)|([^' + SPACE + '"]+)', "gu");
  var COMBINING = /[\u0300-\u036f]/g;

  function codePoints(text) {
    return Array.from(text);
  }

  function fold(text) {
    if (/[^\x00-\x7f]/.test(text)) {
      text = text.normalize("NFKD").replace(COMBINING, "");
    }
    return text.toLowerCase();
  }

  function words(text) {
    return text.match(WORD) || [];
  }

  function searchTerms(text) {
    var folded = fold(text);
    if (!CJK_ANY.test(folded)) {
      return words(folded);
    }
    var terms = [];
    words(folded).forEach(function (word) {
      if (!CJK_ANY.test(word)) {
        terms.push(word);
        return;
      }
      (word.match(CJK_OR_OTHER) || []).forEach(function (part) {
        if (CJK_ANY.test(part) && part.length > 1) {  // a run of CJK (all in the BMP)
          for (var index = 0; index < part.length - 1; index++) {
            terms.push(part.slice(index, index + 2));
          }
        } else {
          terms.push(part);
        }
      });
    });
    return terms;
  }

  function stem(word) {
    if (word.length < 4 || !/^[A-Za-z]+$/.test(word)) {
      return word;
    }
    if (word.endsWith("ies") && word.length > 4) {
      word = word.slice(0, -3) + "i";
    } else if (word.endsWith("sses")) {
      word = word.slice(0, -2);
    } else if (word.endsWith("ss") || word.endsWith("us") || word.endsWith("is")) {
      // class, status, analysis
    } else if (word.endsWith("es") && /(s|x|z|ch|sh)$/.test(word.slice(0, -2))) {
      word = word.slice(0, -2);
    } else if (word.endsWith("s")) {
      word = word.slice(0, -1);
    }
    if (word.endsWith("ing") && word.length >= 6) {
      word = undoubled(word.slice(0, -3));
    } else if (word.endsWith("ed") && word.length >= 5) {
      word = undoubled(word.slice(0, -2));
    }
    if (word.endsWith("e") && word.length >= 4) {
      word = word.slice(0, -1);
    } else if (word.endsWith("y") && word.length >= 4 &&
               "aeiou".indexOf(word.charAt(word.length - 2)) < 0) {
      word = word.slice(0, -1) + "i";
    }
    return word;
  }

  function undoubled(word) {
    var last = word.charAt(word.length - 1);
    if (word.length >= 3 && last === word.charAt(word.length - 2) &&
        "aeiouylsz".indexOf(last) < 0) {
      return word.slice(0, -1);
    }
    return word;
  }

  // guide.STEMMERS: by the guide's language (meta.js says which).
  var STEMMERS = {en: stem, "": function (word) { return word; }};

  // For the tests only: test_guide.py holds this stemmer to guide.stem.
  // Nothing else reads window.guideSearch.
  window.guideSearch = {stem: stem};

  // guide.one_edit_apart, by code point: one letter added, removed or
  // changed, or two neighbours swapped.
  function oneEditApart(first, second) {
    var a = codePoints(first), b = codePoints(second);
    if (first === second || Math.abs(a.length - b.length) > 1) {
      return false;
    }
    var start = 0;
    while (start < Math.min(a.length, b.length) && a[start] === b[start]) {
      start += 1;
    }
    a = a.slice(start);
    b = b.slice(start);
    function same(x, y) { return x.join("") === y.join(""); }
    return same(a.slice(1), b.slice(1)) || same(a.slice(1), b) || same(a, b.slice(1)) ||
      (a.length >= 2 && a[0] === b.slice(1, 2).join("") && a[1] === b[0] &&
       same(a.slice(2), b.slice(2)));
  }

  // Python sorts strings by code point; JavaScript's default sort (and <)
  // by UTF-16 unit, which puts a character beyond U+FFFF (a surrogate,
  // U+D800-U+DFFF) before one in U+E000-U+FFFF.
  function byCodePoint(a, b) {
    if (a === b) {
      return 0;
    }
    var length = Math.min(a.length, b.length);
    for (var index = 0; index < length; index++) {
      var x = a.charCodeAt(index), y = b.charCodeAt(index);
      if (x !== y) {
        if (x >= 0xd800 && y >= 0xd800 && (x < 0xe000) !== (y < 0xe000)) {
          return x < 0xe000 ? 1 : -1;
        }
        return x - y;
      }
    }
    return a.length - b.length;
  }

  function bisectLeft(sorted, value) {
    var low = 0, high = sorted.length;
    while (low < high) {
      var middle = (low + high) >> 1;
      if (byCodePoint(sorted[middle], value) < 0) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return low;
  }

  // The index, in parts (guide.py's SiteRenderer.search_files): meta.js,
  // the constants and what BM25 needs of every page (by page number: its
  // length, its place in the guide) and the keys of the terms' chunks;
  // terms-<n>.js, the postings of the terms of chunk n (a term's chunk is
  // the one of the longest key that begins it); page-<n>.js, what results
  // show of page n.  A query loads only the parts it needs; load(name)
  // hands over a part (a promise, made once per part).
  function Index(meta, load) {
    this.data = meta;
    this.load = load;
    this.keys = meta.keys;
    this.lengths = meta.lengths;
    this.order = meta.order;
    this.pageCount = meta.pages;
    this.averageLength = meta.average;
    this.postings = new Map();  // term -> [page numbers, weighted counts, flags]
    this.loaded = new Map();    // chunk number -> its terms
    this.vocabulary = [];       // the loaded terms, by code point
    this.pages = new Map();     // page number -> {url, title, text, sections}
  }

  // The number of the chunk that holds term if the guide has it, or -1.
  Index.prototype.chunkOf = function (term) {
    var found = -1;
    this.keys.forEach(function (key, number) {
      if (term.startsWith(key) && (found < 0 || key.length > this.keys[found].length)) {
        found = number;
      }
    }, this);
    return found;
  };

  // The chunks that hold every term beginning with start, by key (each
  // holds a run of the sorted vocabulary): start's own chunk, and those
  // of longer keys that start begins.  (A shorter key that begins start
  // but is not its chunk's holds only the term that is that key.)
  Index.prototype.chunksOf = function (start) {
    var own = this.chunkOf(start);
    return this.keys.map(function (key, number) { return number; }).filter(function (number) {
      return number === own || this.keys[number].startsWith(start);
    }, this);
  };

  // Load the chunks numbered (those not loaded yet), in parallel.
  Index.prototype.loadChunks = function (numbers) {
    var index = this;
    numbers = Array.from(new Set(numbers)).filter(function (number) {
      return number >= 0 && !index.loaded.has(number);
    });
    return Promise.all(numbers.map(function (number) {
      return index.load("terms-" + number).then(function (chunk) {
        index.addChunk(number, chunk);
      });
    })).then(function () {
      if (numbers.length) {
        index.vocabulary = Array.from(index.postings.keys()).sort(byCodePoint);
      }
    });
  };

  Index.prototype.addChunk = function (number, chunk) {
    if (this.loaded.has(number)) {
      return;
    }
    var entries = Object.keys(chunk).map(function (term) { return [term, chunk[term]]; });
    // A script's object literal makes a term "__proto__" its prototype.
    var prototype = Object.getPrototypeOf(chunk);
    if (Array.isArray(prototype)) {
      entries.push(["__proto__", prototype]);
    }
    this.loaded.set(number, entries.map(function (entry) { return entry[0]; }));
    entries.forEach(function (entry) {
      var gaps = entry[1][0], numbers = new Array(gaps.length), number = 0;
      for (var place = 0; place < gaps.length; place++) {
        number += gaps[place];
        numbers[place] = number;
      }
      this.postings.set(entry[0], [numbers, entry[1][1], entry[1][2]]);
    }, this);
  };

  // Load the chunks the last word's longer words are in, in key order (in
  // which they hold the sorted vocabulary), a few at a time, until those
  // loaded hold the first prefixExpansions of them.
  Index.prototype.loadPrefix = function (prefix) {
    var index = this, chunks = this.chunksOf(prefix), batch = 3, found = 0;
    function more(from) {
      if (from >= chunks.length) {
        return Promise.resolve();
      }
      return index.loadChunks(chunks.slice(from, from + batch)).then(function () {
        chunks.slice(from, from + batch).forEach(function (number) {
          found += index.loaded.get(number).filter(function (term) {
            return term.startsWith(prefix);
          }).length;
        });
        return found < index.data.prefixExpansions ? more(from + batch) : undefined;
      });
    }
    return more(0);
  };

  // Load the pages numbered (those not loaded yet), in parallel.
  Index.prototype.loadPages = function (numbers) {
    var index = this;
    return Promise.all(numbers.filter(function (number) {
      return !index.pages.has(number);
    }).map(function (number) {
      return index.load("page-" + number).then(function (page) {
        index.pages.set(number, page);
      });
    }));
  };

  // guide.Query.read
  function readQuery(data, text) {
    var stem = STEMMERS[data.stemming];
    var terms = [], phrases = [], excluded = [], last = "";
    var folded = fold(codePoints(text).slice(0, data.queryLimit).join(""));
    Array.from(folded.matchAll(QUERY_PART)).forEach(function (found) {
      var foundWords;
      if (found[1] !== undefined) {
        foundWords = searchTerms(found[1]);
        terms = terms.concat(foundWords.map(stem));
        if (foundWords.length > 1) {
          phrases.push(words(found[1]));
        }
        last = "";
      } else if (found[2] !== undefined) {
        excluded = excluded.concat(searchTerms(found[2]).map(stem));
      } else {
        foundWords = searchTerms(found[3]);
        terms = terms.concat(foundWords.map(stem));
        last = foundWords.length && !CJK_ANY.test(foundWords[foundWords.length - 1]) ?
          foundWords[foundWords.length - 1] : "";
      }
    });
    terms = Array.from(new Set(terms)).slice(0, data.queryTerms);
    return {terms: terms, phrases: phrases, excluded: Array.from(new Set(excluded)),
            prefix: last && terms.indexOf(stem(last)) >= 0 ? stem(last) : ""};
  }

  // SearchIndex.search, once the parts it reads are loaded: a promise of
  // {results: [{page, score, snippet, anchor, section}], count, terms, start}.
  Index.prototype.search = function (text, start, limit) {
    var index = this;
    var query = readQuery(this.data, text);
    if (!query.terms.length) {
      return Promise.resolve({results: [], count: 0, terms: [], start: start});
    }
    var ranked, count, matched = new Set();
    return Promise.all([
      this.loadChunks(query.terms.concat(query.excluded).map(function (term) {
        return index.chunkOf(term);
      })),
      query.prefix ? this.loadPrefix(query.prefix) : null
    ]).then(function () {
      // Words one typo away, for the terms that match no word of the guide.
      return index.loadChunks([].concat.apply([], query.terms.map(function (term) {
        return index.wantsTypos(term, term === query.prefix ? query.prefix : "") ?
          index.chunksOf(codePoints(term).slice(0, 2).join("")) : [];
      })));
    }).then(function () {
      var scores = null;
      query.terms.forEach(function (term) {
        var matching = index.matchingWords(term, term === query.prefix ? query.prefix : "");
        matching.forEach(function (word) { matched.add(word); });
        var termScores = index.scores(term, matching);
        if (scores === null) {
          scores = termScores;
        } else {
          var both = new Map();
          scores.forEach(function (score, number) {
            if (termScores.has(number)) {
              both.set(number, score + termScores.get(number));
            }
          });
          scores = both;
        }
      });
      query.excluded.forEach(function (term) {
        (index.postings.get(term) || [[]])[0].forEach(function (number) {
          scores.delete(number);
        });
      });
      ranked = Array.from(scores.entries());
      // A phrase is looked for in the text of every page that matches.
      return query.phrases.length ? index.loadPages(ranked.map(function (entry) {
        return entry[0];
      })) : null;
    }).then(function () {
      if (query.phrases.length) {
        ranked = ranked.filter(function (entry) {
          return hasPhrases(index.pages.get(entry[0]), query.phrases);
        });
      }
      var order = index.order;
      ranked.sort(function (a, b) {  // ties: guide order
        return b[1] - a[1] || order[a[0]] - order[b[0]];
      });
      count = ranked.length;
      if (start >= count) {  // past the last page of results: the last one
        start = Math.max(0, Math.floor((count - 1) / limit) * limit);
      }
      ranked = ranked.slice(start, start + limit);
      return index.loadPages(ranked.map(function (entry) { return entry[0]; }));
    }).then(function () {
      var marked = new Matcher(matched, query.prefix, STEMMERS[index.data.stemming]);
      var results = ranked.map(function (entry) {
        var page = index.pages.get(entry[0]);
        var best = bestSection(page, marked);
        return {page: page, score: entry[1], snippet: snippet(page, marked, best.where),
                anchor: best.anchor, section: best.heading};
      });
      return {results: results, count: count, terms: query.terms, start: start};
    });
  };

  // Whether matchingWords(term, prefix) looks for words one typo away
  // (that only the loaded chunks of term and prefix tell).
  Index.prototype.wantsTypos = function (term, prefix) {
    return !this.postings.has(term) && !(prefix && this.wordsStartingWith(prefix).some(
      function (word) { return word !== term; })) &&
      codePoints(term).length >= this.data.typoMinLength && /^\p{L}+$/u.test(term);
  };

  Index.prototype.matchingWords = function (term, prefix) {
    var found = this.postings.has(term) ? [term] : [];
    if (prefix) {
      found = found.concat(this.wordsStartingWith(prefix).filter(function (word) {
        return word !== term;
      }));
    }
    if (found.length || codePoints(term).length < this.data.typoMinLength ||
        !/^\p{L}+$/u.test(term)) {
      return found.length ? found : [term];
    }
    found = this.wordsOneTypoFrom(term);
    return found.length ? found : [term];
  };

  Index.prototype.wordsStartingWith = function (prefix) {
    var start = bisectLeft(this.vocabulary, prefix);
    var found = [];
    var end = Math.min(this.vocabulary.length, start + this.data.prefixExpansions);
    for (var place = start; place < end; place++) {
      if (!this.vocabulary[place].startsWith(prefix)) {
        break;
      }
      found.push(this.vocabulary[place]);
    }
    return found;
  };

  Index.prototype.wordsOneTypoFrom = function (term) {
    var beginning = codePoints(term).slice(0, 2).join("");
    var found = [];
    for (var place = bisectLeft(this.vocabulary, beginning);
         place < this.vocabulary.length && this.vocabulary[place].startsWith(beginning);
         place++) {
      var word = this.vocabulary[place];
      if (codePoints(word).length >= this.data.typoMinLength - 1 && oneEditApart(term, word)) {
        found.push(word);
      }
    }
    return found;
  };

  // BM25, with the same operations in the same order as SearchIndex.scores.
  Index.prototype.scores = function (term, matching) {
    var data = this.data, lengths = this.lengths, average = this.averageLength;
    var found = new Map();  // page number -> [count, flags, exact]
    var postings = this.postings;
    matching.forEach(function (word) {
      var entries = postings.get(word) || [[], [], []];
      var numbers = entries[0], counts = entries[1], flags = entries[2];
      for (var place = 0; place < numbers.length; place++) {
        var sum = found.get(numbers[place]);
        if (!sum) {
          sum = [0, 0, false];
          found.set(numbers[place], sum);
        }
        sum[0] += counts[place];
        sum[1] |= flags[place];
        sum[2] = sum[2] || word === term;
      }
    });
    var typo = matching.length > 0 && !matching.some(function (word) {
      return word.startsWith(term);
    });
    var pages = this.pageCount;
    var idf = Math.log(1 + (pages - found.size + 0.5) / (found.size + 0.5));
    var scores = new Map();
    found.forEach(function (sum, number) {
      var count = sum[0], where = sum[1];
      var norm = 1 - data.b + data.b * lengths[number] / average;
      var score = count * (data.k1 + 1) / (count + data.k1 * norm);
      var bonus = null;
      if (where & 1) { bonus = data.bonus.title; }
      if (where & 2) { bonus = bonus === null ? data.bonus.heading :
                                                Math.max(bonus, data.bonus.heading); }
      score += bonus === null ? 0.0 : bonus;
      scores.set(number, idf * score * (sum[2] ? 1.0 : typo ? data.typoOnly : data.prefixOnly));
    });
    return scores;
  };

  function hasPhrases(page, phrases) {
    var folded = fold(page.title + "\n" + page.text);
    var all = " " + words(folded).join(" ") + " ";
    return phrases.every(function (phrase) {
      var joined = phrase.join(" ");
      return CJK_ANY.test(joined) ? folded.indexOf(joined) >= 0 :
        all.indexOf(" " + joined + " ") >= 0;
    });
  }

  // guide.matches, for one query: whether a word of a page is one it matched.
  function Matcher(matched, prefix, stem) {
    this.matched = matched;
    this.prefix = prefix;
    this.stem = stem;
    this.pairs = Array.from(matched).filter(function (term) { return CJK_ANY.test(term); });
  }

  Matcher.prototype.matches = function (word) {
    var folded = fold(word);
    return this.matched.has(this.stem(folded)) ||
      Boolean(this.prefix && folded.startsWith(this.prefix)) ||
      (CJK_ANY.test(folded) && this.pairs.some(function (term) {
        return folded.indexOf(term) >= 0;
      }));
  };

  Matcher.prototype.count = function (text) {
    var matcher = this;
    return words(text).filter(function (word) { return matcher.matches(word); }).length;
  };

  // Where each code point of text starts, in UTF-16 units (and one more:
  // the text's length); null when the two counts agree.
  function unitsOf(text) {
    if (!/[\ud800-\udfff]/.test(text)) {
      return null;
    }
    var units = [];
    for (var place = 0; place < text.length; place++) {
      units.push(place);
      var code = text.charCodeAt(place);
      if (code >= 0xd800 && code < 0xdc00 && place + 1 < text.length) {
        var next = text.charCodeAt(place + 1);
        if (next >= 0xdc00 && next < 0xe000) {
          place += 1;
        }
      }
    }
    units.push(text.length);
    return units;
  }

  // guide.sections_of, in UTF-16 units: [start, end, heading id, heading].
  function sectionsOf(page) {
    var text = page.text, units = unitsOf(text);
    function unit(point) {  // a code point's offset (from the index) in units
      return units ? units[Math.min(point, units.length - 1)] +
        Math.max(0, point - (units.length - 1)) : point;
    }
    var marks = page.sections.map(function (mark) { return [unit(mark[0]), mark[1]]; });
    var sections = [], topEnd = marks.length ? marks[0][0] : text.length;
    if (topEnd) {
      sections.push([0, topEnd, "", ""]);
    }
    marks.forEach(function (mark, place) {
      var where = mark[0];
      var end = place + 1 < marks.length ? marks[place + 1][0] : text.length;
      var lineEnd = text.indexOf("\n", where);
      var headingEnd = lineEnd < 0 || lineEnd + 1 > end ? end : lineEnd;
      sections.push([headingEnd + 1, end, mark[1], text.slice(where, headingEnd)]);
    });
    return sections;
  }

  function bestSection(page, marked) {
    var best = {where: [0, page.text.length], anchor: "", heading: ""}, bestCount = 0;
    sectionsOf(page).forEach(function (section) {
      var count = marked.count(page.text.slice(section[0], section[1])) +
        3 * marked.count(section[3]);
      if (count > bestCount) {
        best = {where: [section[0], section[1]], anchor: section[2], heading: section[3]};
        bestCount = count;
      }
    });
    return best;
  }

  function collapsed(text) {
    return text.split(SPACES).filter(Boolean).join(" ");
  }

  // guide.snippet, as a list of pieces: strings, and {mark: word} for each
  // matched word (made into <mark> elements by show()).  Its width and
  // cuts count code points, as Python does.
  function snippet(page, marked, where, width) {
    width = width || 220;
    var text = collapsed(page.text.slice(where[0], where[1])) || collapsed(page.text);
    var units = unitsOf(text);
    var points = null;  // UTF-16 unit -> code point
    if (units) {
      points = [];
      units.forEach(function (unit, point) { points[unit] = point; });
    }
    function point(unit) { return points ? points[unit] : unit; }
    function unit(point) { return units ? units[point] : point; }
    var length = units ? units.length - 1 : text.length;
    var found = Array.from(text.matchAll(WORD)).map(function (match) {
      return {start: point(match.index), end: point(match.index + match[0].length),
              word: match[0]};
    });
    var hits = found.filter(function (word) { return marked.matches(word.word); });
    var first = hits.length ? hits[0].start : 0;
    var start = 0;
    var third = Math.floor(width / 3);
    if (first > third) {
      var from = found.find(function (word) { return word.start >= first - third; });
      start = from ? from.start : first;
    }
    var end = length;
    if (end - start > width) {
      var ends = found.filter(function (word) { return word.end <= start + width; });
      end = ends.length ? ends.reduce(function (most, word) {
        return Math.max(most, word.end);
      }, -Infinity) : start + width;
    }
    var pieces = [], position = start;
    hits.forEach(function (hit) {
      if (hit.start < start || hit.end > end) {
        return;
      }
      pieces.push(text.slice(unit(position), unit(hit.start)), {mark: hit.word});
      position = hit.end;
    });
    pieces.push(text.slice(unit(position), end > length ? text.length : unit(end)));
    return [start ? "… " : ""].concat(pieces, [end < length ? " …" : ""]);
  }

  // The page /////////////////////////////////////////////////////////////

  var status = document.querySelector(".search-status");
  var list = document.querySelector(".results");
  var params = new URLSearchParams(location.search);
  // The first value given, as the server reads it (Python's parse_qs
  // leaves out empty ones).
  function param(name) {
    return params.getAll(name).filter(function (value) { return value !== ""; })[0];
  }
  var query = param("q") || "";
  if (!status || !list || status.hasAttribute("data-server") ||
      !query.replace(EDGE_SPACES, "")) {
    return;
  }
  var root = new URL(".", location.href);

  // The results' page that ?page= asks for, as guide.py's Site.search reads
  // it: one to four digits, at least 1 and at most the last page offered;
  // anything else asks for the first.
  function pageNumber(text, last) {
    var number = /^[0-9]{1,4}$/.test(text || "") ? parseInt(text, 10) : 1;
    return Math.min(Math.max(number, 1), last);
  }

  // urllib.parse.urlencode's quoting of a value (quote_plus).
  function quotePlus(text) {
    return encodeURIComponent(text).replace(/[!'()*]/g, function (character) {
      return "%" + character.charCodeAt(0).toString(16).toUpperCase();
    }).replace(/%20/g, "+");
  }

  // The index's URLs are root-relative ("/", "/flask.html", "/docs/install/").
  function pageLink(url) {
    var relative = url.replace(/^\//, "");
    if (location.protocol === "file:" && (relative === "" || relative.endsWith("/"))) {
      relative += "index.html";
    }
    return new URL(relative, root).href;
  }

  function resultsLink(number) {
    return new URL("search.html?q=" + quotePlus(query) +
                   (number > 1 ? "&page=" + number : ""), root).href;
  }

  // A part of the index (see Index): search/<name>.js hands it over in
  // window.guideSearchParts[name] once it has run.  Each is asked for once.
  var parts = new Map();
  function loadPart(name) {
    if (!parts.has(name)) {
      parts.set(name, new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.addEventListener("load", function () {
          var part = (window.guideSearchParts || {})[name];
          if (part === undefined) {
            reject(new Error("search/" + name + ".js holds no part " + name));
          } else {
            resolve(part);
          }
        });
        script.addEventListener("error", reject);
        script.src = new URL("search/" + name + ".js", root).href;
        document.head.append(script);
      }));
    }
    return parts.get(name);
  }

  function element(name, text, attributes) {
    var made = document.createElement(name);
    if (text) {
      made.textContent = text;
    }
    Object.keys(attributes || {}).forEach(function (key) {
      made.setAttribute(key, attributes[key]);
    });
    return made;
  }

  // The words the answer is said in: the guide's language's, which
  // views/search.tpl hands over in data-words (guide.py's WORDS), else
  // English (a guide's own search.tpl may not say them).
  var said = {
    search_words: "Type one or more words to search for.",
    searching: "Searching…", search_unavailable: "Search is not available here.",
    no_match: "No pages match “{query}”.", one_match: "1 page matches “{query}”.",
    matches: "{count} pages match “{query}”.", showing: "Showing {first} to {last}.",
    more_results: "More results", previous_n: "Previous {n}", next_n: "Next {n}"};
  try {
    Object.assign(said, JSON.parse(
      document.querySelector(".search-page").getAttribute("data-words") || "{}"));
  } catch (error) {
    // English, then.
  }

  // Python's str.format for {name} fields (and {{ and }} for braces).
  function format(key, values) {
    return String(said[key]).replace(/\{\{|\}\}|\{(\w+)\}/g, function (field, name) {
      return name === undefined ? field.charAt(0) : String(values[name]);
    });
  }

  // What views/search.tpl writes for an answer.
  function show(data, answer) {
    var results = answer.results, count = answer.count, perPage = data.results;
    if (!answer.terms.length) {
      status.textContent = format("search_words", {});
    } else if (!count) {
      status.textContent = format("no_match", {query: query});
    } else {
      status.textContent = format(count === 1 ? "one_match" : "matches",
                                  {count: count, query: query}) +
        (count > results.length ? " " + format("showing", {
          first: answer.start + 1, last: answer.start + results.length}) : "");
    }
    list.setAttribute("start", String(answer.start + 1));
    results.forEach(function (result) {
      var item = document.createElement("li");
      item.append(element("a", result.page.title, {
        href: pageLink(result.page.url) + (result.anchor ? "#" + result.anchor : "")}));
      if (result.section) {
        item.append(" ", element("span", "› " + result.section, {"class": "result-section"}));
      }
      var paragraph = document.createElement("p");
      result.snippet.forEach(function (piece) {
        if (piece !== "") {
          paragraph.append(typeof piece === "string" ? piece : element("mark", piece.mark));
        }
      });
      item.append(paragraph);
      list.append(item);
    });
    var previous = answer.start ? Math.floor(answer.start / perPage) : null;
    var next = answer.start + perPage < count ? Math.floor(answer.start / perPage) + 2 : null;
    if (previous || next) {
      var more = element("nav", "", {"class": "search-more",
                                     "aria-label": format("more_results", {})});
      if (previous) {
        more.append(element("a", format("previous_n", {n: perPage}),
                            {href: resultsLink(previous), rel: "prev"}));
      }
      if (next) {
        more.append(previous ? " " : "", element("a", format("next_n", {
          n: Math.min(perPage, count - answer.start - results.length)}),
          {href: resultsLink(next), rel: "next"}));
      }
      list.after(more);
    }
  }

  status.textContent = said.searching;
  status.setAttribute("aria-busy", "true");  // until the answer is shown
  var data;
  loadPart("meta")
    .then(function (meta) {
      data = meta;
      query = codePoints(query).slice(0, data.queryLimit).join("");
      var start = (pageNumber(param("page"), data.resultPages) - 1) * data.results;
      return new Index(data, loadPart).search(query, start, data.results);
    })
    .then(function (answer) {
      // The server calls the page "<the search page's title>: <query>".
      var separator = document.title.indexOf(" · ");
      document.title = separator < 0 ? document.title + ": " + query :
        document.title.slice(0, separator) + ": " + query + document.title.slice(separator);
      show(data, answer);
      document.getElementById("search-query").value = query;
    })
    .catch(function () { status.textContent = said.search_unavailable; })
    .then(function () { status.removeAttribute("aria-busy"); });
})();
