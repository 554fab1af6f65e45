% rebase('base')
<div class="search-page">
<h1>Search</h1>
<form role="search" aria-label="Search again" action="/search.html" method="get">
  <label for="search-query">Search the guide</label>
  <input id="search-query" name="q" type="search" value="{{query}}" maxlength="200">
  <button type="submit">Search</button>
</form>
% if query.strip() and not terms:
<p class="search-status" data-server="1">Type one or more words to search for.</p>
% elif query.strip() and not results:
<p class="search-status" data-server="1">No pages match “{{query}}”.</p>
% elif query.strip():
<p class="search-status" data-server="1">{{len(results)}} {{'page matches' if len(results) == 1 else 'pages match'}} “{{query}}”.</p>
% else:
<p class="search-status">Search the titles, headings and text of every page.</p>
% end
<ol class="results">
% for result in results:
  <li>
    <a href="{{result.page.url}}">{{result.page.title}}</a>
    <p>{{!result.snippet}}</p>
  </li>
% end
</ol>
</div>
<script src="{{static_url('search.js')}}" defer></script>
