<!doctype html>
<html lang="{{lang}}" dir="{{dir}}">
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
% if image:
<meta property="og:image" content="{{image}}">
<meta name="twitter:image" content="{{image}}">
% end
<meta name="twitter:card" content="{{'summary_large_image' if image else 'summary'}}">
<meta name="color-scheme" content="light dark">
<link rel="icon" href="{{static_url('favicon.svg')}}" type="image/svg+xml">
<link rel="stylesheet" href="{{static_url('guide.css')}}">
<link rel="stylesheet" href="{{static_url('highlight.css')}}">
%# A guide's own static/extra.css and extra.js, when it has them (see README).
% if extra_css:
<link rel="stylesheet" href="{{extra_css}}">
% end
% if extra_js:
<script src="{{extra_js}}" defer></script>
% end
%# Blocking on purpose, and after the style sheets: it sets the reader's
%# light or dark theme on <html> before anything is painted.
<script src="{{static_url('theme.js')}}"></script>
<link rel="alternate" type="application/atom+xml" href="/feed.atom" title="{{guide.title}}">
% if prev_page:
<link rel="prev" href="{{prev_page.url}}">
% end
% if next_page:
<link rel="next" href="{{next_page.url}}">
% end
</head>
<body>
<a class="skip-link" href="#content">{{words['skip_to_content']}}</a>
<header class="site-header">
  <a class="site-title" href="/">
% if get('logo'):
<img class="site-logo" src="{{logo}}" alt="" width="32" height="32">
% end
<span class="site-name">{{guide.title}}</span></a>
%# Every page has a search box here, but the search page, which has its own.
% if not get('search_page'):
  <form class="search-form" role="search" aria-label="{{words['site_search']}}" action="/search.html" method="get">
    <label for="search-box" class="visually-hidden">{{words['search_the_guide']}}</label>
    <input id="search-box" name="q" type="search" placeholder="{{words['search']}}" maxlength="200">
    <button type="submit"><svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><circle cx="10.5" cy="10.5" r="6.5"/><path d="m15.5 15.5 5 5"/></svg><span class="button-text">{{words['search']}}</span></button>
  </form>
% end
  <a class="nav-jump" href="#guide-nav">{{words['contents']}}</a>
%# The theme switch (Auto, Light, Dark): static/theme.js shows it and runs
%# it; without JavaScript it stays hidden and the system's theme applies.
  <button type="button" class="theme-switch" hidden title="{{words['theme']}}">
    <svg class="icon theme-auto" viewBox="0 0 24 24" aria-hidden="true"><circle cx="12" cy="12" r="8.5"/><path d="M12 3.5a8.5 8.5 0 0 1 0 17z" fill="currentColor"/></svg>
    <svg class="icon theme-light" viewBox="0 0 24 24" aria-hidden="true"><circle cx="12" cy="12" r="4"/><path d="M12 2v2.5M12 19.5V22M2 12h2.5M19.5 12H22M4.9 4.9l1.8 1.8M17.3 17.3l1.8 1.8M4.9 19.1l1.8-1.8M17.3 6.7l1.8-1.8"/></svg>
    <svg class="icon theme-dark" viewBox="0 0 24 24" aria-hidden="true"><path d="M20 14.5A8.5 8.5 0 0 1 9.5 4a8.5 8.5 0 1 0 10.5 10.5z"/></svg>
    <span class="theme-switch-label"><span class="visually-hidden">{{words['theme_label']}} </span><span class="theme-switch-name theme-auto">{{words['theme_auto']}}</span><span class="theme-switch-name theme-light">{{words['theme_light']}}</span><span class="theme-switch-name theme-dark">{{words['theme_dark']}}</span></span>
  </button>
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
  · <a href="/all.html">{{words['whole_guide'] if guide.one_page else words['whole_guide_in_parts']}}</a>
  · <a href="/feed.atom">{{words['atom_feed']}}</a></p>
</footer>
% if preview:
<script src="/_reload.js" defer></script>
% end
</body>
</html>
