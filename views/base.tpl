<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}}{{'' if title == guide.title else ' · ' + guide.title}}</title>
% if description:
<meta name="description" content="{{description}}">
% end
<meta name="color-scheme" content="light dark">
<link rel="stylesheet" href="{{static_url('guide.css')}}">
<link rel="stylesheet" href="{{static_url('highlight.css')}}">
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
  <a class="nav-jump" href="#guide-nav">Contents</a>
</header>
<div class="layout">
<main id="content" class="content">
{{!base}}
</main>
% include('nav')
</div>
<footer class="site-footer">
  <p>{{guide.title}} · {{len(guide.pages)}} pages · served by guide.py</p>
</footer>
</body>
</html>
