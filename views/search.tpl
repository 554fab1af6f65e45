% rebase('base')
% import json
%# The words static/search.js says its answers in (the exported site's search).
% said = {key: words[key] for key in ('search', 'search_words', 'searching', 'search_unavailable', 'no_match', 'one_match', 'matches', 'showing', 'more_results', 'previous_n', 'next_n')}
<div class="search-page" data-words="{{json.dumps(said, ensure_ascii=False)}}">
<h1>{{words['search']}}</h1>
<form role="search" aria-label="{{words['search_again']}}" action="/search.html" method="get">
  <label for="search-query">{{words['search_the_guide']}}</label>
  <input id="search-query" name="q" type="search" value="{{query}}" maxlength="200">
  <button type="submit">{{words['search']}}</button>
</form>
%# Words, "a phrase" in quotes, -word to leave pages out: see SearchIndex.search.
% results, count = answer.results, answer.count
% if query.strip() and not answer.terms:
<p class="search-status" data-server="1">{{words['search_words']}}</p>
% elif query.strip() and not count:
<p class="search-status" data-server="1">{{words['no_match'].format(query=query)}}</p>
% elif query.strip():
<p class="search-status" data-server="1">{{words['one_match' if count == 1 else 'matches'].format(count=count, query=query)}}{{' ' + words['showing'].format(first=answer.start + 1, last=answer.start + len(results)) if count > len(results) else ''}}</p>
% else:
<p class="search-status">{{words['search_hint']}}</p>
% end
<ol class="results" start="{{answer.start + 1}}">
% for result in results:
  <li>
    <a href="{{result.url}}">{{result.page.title}}</a>
%   if result.section:
    <span class="result-section">› {{result.section}}</span>
%   end
    <p>{{!result.snippet}}</p>
  </li>
% end
</ol>
% if previous or next:
<nav class="search-more" aria-label="{{words['more_results']}}">
%   if previous:
  <a href="{{more(previous)}}" rel="prev">{{words['previous_n'].format(n=per_page)}}</a>
%   end
%   if next:
  <a href="{{more(next)}}" rel="next">{{words['next_n'].format(n=min(per_page, count - answer.start - len(results)))}}</a>
%   end
</nav>
% end
</div>
<script src="{{static_url('search.js')}}" defer></script>
