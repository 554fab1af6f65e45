<nav id="guide-nav" class="guide-nav" aria-label="Guide">
<details class="guide-nav-toggle" open>
<summary>Contents</summary>
% if more_before:
<p class="nav-more"><a href="/">… earlier pages</a></p>
% end
<ol>
% for item in nav_pages:
%   if current is not None and item.slug == current.slug:
  <li><a href="{{item.url}}" aria-current="page">{{item.title}}</a></li>
%   else:
  <li><a href="{{item.url}}">{{item.title}}</a></li>
%   end
% end
</ol>
% if more_after:
<p class="nav-more"><a href="/">… later pages</a></p>
% end
% if guide.posts:
<p class="nav-blog"><a href="/blog/">Blog</a></p>
% end
</details>
</nav>
