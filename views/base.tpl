<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}}{{'' if title == guide.title else ' · ' + guide.title}}</title>
% if description:
<meta name="description" content="{{description}}">
% end
% if canonical:
<link rel="canonical" href="{{canonical}}">
% end
<meta property="og:title" content="{{title}}">
<meta property="og:site_name" content="{{guide.title}}">
<meta property="og:type" content="{{'article' if current else 'website'}}">
% if description:
<meta property="og:description" content="{{description}}">
% end
% if canonical:
<meta property="og:url" content="{{canonical}}">
% end
<meta name="color-scheme" content="light dark">
<link rel="icon" href="{{static_url('favicon.svg')}}" type="image/svg+xml">
<link rel="stylesheet" href="{{static_url('guide.css')}}">
<link rel="stylesheet" href="{{static_url('highlight.css')}}">
<link rel="alternate" type="application/atom+xml" href="/feed.atom" title="{{guide.title}}">
% if prev_page:
<link rel="prev" href="{{prev_page.url}}">
% end
% if next_page:
<link rel="next" href="{{next_page.url}}">
% end
</head>
<body>
<a class="skip-link" href="#content">Skip to content</a>
<header class="site-header">
  <a class="site-title" href="/">{{guide.title}}</a>
  <form class="search-form" role="search" aria-label="Site search" action="/search.html" method="get">
    <label for="search-box" class="visually-hidden">Search the guide</label>
    <input id="search-box" name="q" type="search" placeholder="Search the guide" maxlength="200">
    <button type="submit">Search</button>
  </form>
  <a class="nav-jump" href="#guide-nav">Contents</a>
</header>
% if problems:
<div class="preview-problems" role="alert">
%   if preview:
  <p><strong>This guide has problems.</strong> Each page shows its last good version until they are mended:</p>
%   else:
  <p><strong>This guide has problems.</strong> The pages they are in are left out until they are mended:</p>
%   end
  <ul>
%   for problem in problems:
    <li><code>{{problem}}</code></li>
%   end
  </ul>
</div>
% end
<div class="layout">
<main id="content" class="content">
{{!base}}
</main>
{{!nav_html}}
</div>
<footer class="site-footer">
  <p>{{guide.title}}
% if guide.one_page:
  · <a href="/all.html">the whole guide on one page</a>
% end
  · <a href="/feed.atom">Atom feed</a></p>
</footer>
% if preview:
<script src="/_reload.js" defer></script>
% end
</body>
</html>
