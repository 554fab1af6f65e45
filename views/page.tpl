% rebase('base')
<article class="page">
% if trail:
<nav class="breadcrumbs" aria-label="Breadcrumbs">
<ol itemscope itemtype="https://schema.org/BreadcrumbList">
%   for position, chapter in enumerate([None, *trail], 1):
  <li itemprop="itemListElement" itemscope itemtype="https://schema.org/ListItem"><a itemprop="item" href="{{chapter.url if chapter else '/'}}"><span itemprop="name">{{chapter.title if chapter else guide.title}}</span></a><meta itemprop="position" content="{{position}}"></li>
%   end
  <li itemprop="itemListElement" itemscope itemtype="https://schema.org/ListItem"><span itemprop="name">{{page.title}}</span><meta itemprop="position" content="{{len(trail) + 2}}"></li>
</ol>
</nav>
% end
% if number:
<h1><span class="title-number">{{number}}</span> {{page.title}}</h1>
% else:
<h1>{{page.title}}</h1>
% end
% if page.date:
<p class="post-date">Published <time datetime="{{page.date.isoformat()}}">{{page.date.strftime('%d %B %Y').lstrip('0')}}</time>
%   if page.modified:
  · updated <time datetime="{{page.modified.isoformat()}}">{{page.modified.strftime('%d %B %Y').lstrip('0')}}</time>
%   end
</p>
% end
% if page.toc and page.show_toc:
<nav class="page-toc" aria-label="On this page">
<h2>On this page</h2>
<ul>
%   for level, anchor, text in page.toc:
  <li class="toc-level-{{level}}"><a href="#{{anchor}}">{{text}}</a></li>
%   end
</ul>
</nav>
% end
{{!page.html}}
</article>
% if next_pages:
<aside class="whats-next" aria-labelledby="whats-next">
<h2 id="whats-next">What's next?</h2>
<ul>
%   for item in next_pages:
  <li><a href="{{item.url}}">{{item.title}}</a>
%     if item.description:
    <p>{{item.description}}</p>
%     end
  </li>
%   end
</ul>
</aside>
% end
% if edit_link:
<p class="edit-link"><a href="{{edit_link}}">Edit this page</a></p>
% end
% if prev_page or next_page:
<nav class="pager" aria-label="Previous and next pages">
%   if prev_page:
  <a class="pager-prev" rel="prev" href="{{prev_page.url}}"><span>Previous</span> {{prev_page.title}}</a>
%   end
%   if next_page:
  <a class="pager-next" rel="next" href="{{next_page.url}}"><span>Next</span> {{next_page.title}}</a>
%   end
</nav>
% end
