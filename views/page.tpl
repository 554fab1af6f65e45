% rebase('base')
<article class="page">
% if trail:
<nav class="breadcrumbs" aria-label="{{words['breadcrumbs']}}">
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
%# A post shows when it was published, and when it was last changed if
%# that was on a later day; a page shows when it was last changed, below.
% updated = page.updated
% if page.date:
<p class="post-date">{{words['published']}} <time datetime="{{page.date.isoformat()}}">{{date(page.date)}}</time>
%   if updated and updated.date() > page.date.date():
  · {{words['updated']}} <time datetime="{{updated.isoformat()}}">{{date(updated)}}</time>
%   end
</p>
% end
% if page.toc and page.show_toc:
<nav class="page-toc" aria-label="{{words['on_this_page']}}">
<h2>{{words['on_this_page']}}</h2>
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
<h2 id="whats-next">{{words['whats_next']}}</h2>
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
% if page.tags:
<p class="page-tags"><span class="visually-hidden">{{words['tags']}}:</span>
%   for tag in page.tags:
  <a class="tag" rel="tag" href="{{guide.tag_url(tag)}}">{{tag}}</a>
%   end
</p>
% end
% if (updated and not page.date) or edit_link:
<p class="page-meta">
%   if updated and not page.date:
  <span class="last-updated">{{words['last_updated']}} <time datetime="{{updated.isoformat()}}">{{date(updated)}}</time></span>
%   end
%   if edit_link:
  <a class="edit-link" href="{{edit_link}}">{{words['edit_this_page']}}</a>
%   end
</p>
% end
% if prev_page or next_page:
<nav class="pager" aria-label="{{words['previous_and_next']}}">
%   if prev_page:
  <a class="pager-prev" rel="prev" href="{{prev_page.url}}"><span>{{words['previous']}}</span> {{prev_page.title}}</a>
%   end
%   if next_page:
  <a class="pager-next" rel="next" href="{{next_page.url}}"><span>{{words['next']}}</span> {{next_page.title}}</a>
%   end
</nav>
% end
