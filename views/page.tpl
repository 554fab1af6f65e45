% rebase('base')
<article class="page">
<h1>{{page.title}}</h1>
% if page.toc:
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
<nav class="pager" aria-label="Previous and next pages">
% if prev_page:
  <a class="pager-prev" rel="prev" href="{{prev_page.url}}"><span>Previous</span> {{prev_page.title}}</a>
% end
% if next_page:
  <a class="pager-next" rel="next" href="{{next_page.url}}"><span>Next</span> {{next_page.title}}</a>
% end
</nav>
